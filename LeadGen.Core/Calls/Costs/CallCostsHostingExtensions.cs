using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Calls.Costs;

public static class CallCostsHostingExtensions
{
    private const string DefaultPricesResource = "LeadGen.Core.Calls.Costs.prices.json";

    /// <summary>
    /// The price table (<see cref="PriceTable"/>: the shipped <c>prices.json</c> as the lowest-priority configuration,
    /// so any host setting overrides it) and the calculator and recorder that cost finished calls.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenCallCosts(this IHostApplicationBuilder builder)
    {
        if (!builder.Configuration.Sources.OfType<JsonStreamConfigurationSource>().Any(source => source.Stream is DefaultPricesStream))
        {
            builder.Configuration.Sources.Insert(0, new JsonStreamConfigurationSource { Stream = new DefaultPricesStream() });
        }

        builder.Services.AddMetrics();
        builder.Services.AddOptions<PriceTable>().Bind(builder.Configuration.GetSection(PriceTable.SectionName)).ValidateOnStart();
        builder.Services.TryAddSingleton<CallCostCalculator>();
        builder.Services.TryAddSingleton<CallCostTelemetry>();
        builder.Services.TryAddSingleton<CallCostRecorder>();
        return builder;
    }

    /// <summary>The embedded default prices, marked so a second registration is skipped.</summary>
    private sealed class DefaultPricesStream() : MemoryStream(ReadDefaults());

    private static byte[] ReadDefaults()
    {
        using var stream = typeof(CallCostsHostingExtensions).Assembly.GetManifestResourceStream(DefaultPricesResource)
            ?? throw new InvalidOperationException($"Embedded resource {DefaultPricesResource} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
