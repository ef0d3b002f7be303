using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Recording;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Compliance;
using LeadGen.Core.Leads;
using LeadGen.Testing;
using Npgsql;

namespace LeadGen.Core.Tests.DataModel;

/// <summary>A fresh migrated database with every store over it.</summary>
internal sealed class DataModelContext : IAsyncDisposable
{
    private DataModelContext(NpgsqlDataSource dataSource, IRecordingStore? recordings)
    {
        Recordings = recordings ?? new LocalRecordingStore(Path.Combine(Path.GetTempPath(), "leadgen-tests", "model-recordings", Guid.NewGuid().ToString("N")));
        DataSource = dataSource;
        var clock = TimeProvider.System;
        Campaigns = new CampaignStore(dataSource, clock);
        Stats = new CampaignStatsQuery(dataSource);
        Leads = new LeadStore(dataSource, clock);
        Calls = new CallStore(dataSource, clock);
        Callbacks = new CallbackStore(dataSource, Leads, clock);
        DoNotCall = new DoNotCallRegistry(dataSource, Leads, clock);
        Eraser = new PersonalDataEraser(dataSource, clock, Recordings);
    }

    public NpgsqlDataSource DataSource { get; }

    public CampaignStore Campaigns { get; }

    public CampaignStatsQuery Stats { get; }

    public LeadStore Leads { get; }

    public CallStore Calls { get; }

    public CallbackStore Callbacks { get; }

    public DoNotCallRegistry DoNotCall { get; }

    public PersonalDataEraser Eraser { get; }

    /// <summary>Where recordings live for the eraser: a temporary local folder unless the test passes a store.</summary>
    public IRecordingStore Recordings { get; }

    public static async Task<DataModelContext> CreateAsync(SharedServers servers, IRecordingStore? recordings = null) =>
        new(NpgsqlDataSource.Create(await servers.Postgres.CreateMigratedDatabaseAsync("model")), recordings);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
