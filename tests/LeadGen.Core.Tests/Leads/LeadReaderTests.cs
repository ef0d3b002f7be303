using System.Text;
using LeadGen.Core.Leads;
using LeadGen.Core.Leads.Import;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Tests.Leads;

public sealed class LeadReaderTests
{
    private static async Task<List<(int Row, string? Name, string? Phone, string? Company, List<ImportRowError> Errors)>> ReadCsvAsync(byte[] bytes, int chunk = int.MaxValue)
    {
        var reader = new CsvLeadReader(new TrickleStream(bytes, chunk));
        var record = new LeadRecord();
        var rows = new List<(int, string?, string?, string?, List<ImportRowError>)>();
        while (await reader.ReadAsync(record, CancellationToken.None))
        {
            rows.Add((record.Row, record[LeadColumn.Name], record[LeadColumn.Phone], record[LeadColumn.Company], [.. record.Errors]));
        }

        return rows;
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)] // every byte in its own read: state must survive buffer boundaries
    [InlineData(7)]
    public async Task Csv_handles_quotes_embedded_separators_line_breaks_crlf_bom_and_blank_lines(int chunk)
    {
        var csv = "\uFEFFName,Phone,Company\r\n"
            + "\"Smith, Jane\",+12125550100,\"Acme \"\"Rockets\"\"\"\r\n"
            + "\r\n"
            + "\"Multi\nLine\",2125550101,  padded  \n"
            + "Last,2125550102,\"\"";
        var rows = await ReadCsvAsync(Encoding.UTF8.GetBytes(csv), chunk);

        Assert.Equal(3, rows.Count);
        Assert.Equal((2, "Smith, Jane", "+12125550100", "Acme \"Rockets\""), (rows[0].Row, rows[0].Name, rows[0].Phone, rows[0].Company));
        Assert.Equal((4, "Multi\nLine", "padded"), (rows[1].Row, rows[1].Name, rows[1].Company));
        Assert.Equal((6, "Last", null), (rows[2].Row, rows[2].Name, rows[2].Company));
        Assert.All(rows, row => Assert.Empty(row.Errors));
    }

    [Fact]
    public async Task Csv_reports_invalid_utf8_per_field_and_wrong_field_counts_per_row()
    {
        var bytes = Encoding.UTF8.GetBytes("name,phone\nGood,2125550100\n").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes(",2125550101\nToo,2125550102,many\nfew\n")).ToArray();

        var rows = await ReadCsvAsync(bytes);

        Assert.Empty(rows[0].Errors);
        Assert.Equal(("name", "rejected"), (rows[1].Errors.Single().Column, rows[1].Errors.Single().Kind));
        Assert.Equal("2125550101", rows[1].Phone); // the other fields of the row are still read
        Assert.Contains("3 fields", rows[2].Errors.Single().Reason, StringComparison.Ordinal);
        Assert.Contains("1 fields", rows[3].Errors.Single().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_header_rules_refuse_the_file_as_a_whole()
    {
        await Assert.ThrowsAsync<ImportFormatException>(() => ReadCsvAsync(Encoding.UTF8.GetBytes("name,email\nA,a@b.co\n")));
        await Assert.ThrowsAsync<ImportFormatException>(() => ReadCsvAsync(Encoding.UTF8.GetBytes("phone,mobile\n1,2\n")));
        await Assert.ThrowsAsync<ImportFormatException>(() => ReadCsvAsync([]));
    }

    [Fact]
    public void Phone_numbers_normalise_to_e164_with_region_and_derived_time_zone()
    {
        var normalizer = new PhoneNumberNormalizer(Options.Create(new LeadOptions { DefaultRegion = "US" }));

        var us = normalizer.Normalize("(212) 201-0000");
        var uk = normalizer.Normalize("020 7946 0001", "gb");
        var international = normalizer.Normalize("+44 20 7946 0001");
        var invalid = normalizer.Normalize("12345");
        var junk = normalizer.Normalize("call me");
        var badRegion = normalizer.Normalize("2122010000", "Atlantis");

        Assert.Equal(("+12122010000", "America/New_York"), (us.E164, us.TimeZone));
        Assert.Equal(("+442079460001", "Europe/London"), (uk.E164, uk.TimeZone));
        Assert.Equal(uk.E164, international.E164);
        Assert.False(invalid.IsValid);
        Assert.False(junk.IsValid);
        Assert.StartsWith("unknown country", badRegion.Error, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => new PhoneNumberNormalizer(Options.Create(new LeadOptions { DefaultRegion = "XX" })));
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, like a slow network upload.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
