using Google.Cloud.Storage.V1;
using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Recording;
using LeadGen.Core.Campaigns;
using LeadGen.Core.Leads;
using LeadGen.Testing;
using LeadGen.Testing.GoogleCloud;

namespace LeadGen.Core.Tests.DataModel;

/// <summary>Erasing a lead deletes its recordings from the store (local files, or Cloud Storage through the real client against the fake JSON API).</summary>
[Collection(ServersCollection.Name)]
public sealed class RecordingErasureTests(SharedServers servers)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Erasure_deletes_the_leads_recordings_from_local_files_and_keeps_other_leads_recordings()
    {
        var folder = Path.Combine(Path.GetTempPath(), "leadgen-tests", "erasure", Guid.NewGuid().ToString("N"));
        var store = new LocalRecordingStore(folder);
        await using var db = await DataModelContext.CreateAsync(servers, store);
        await EraseAndCheckAsync(db, store, exists: key => File.Exists(Path.Combine(folder, key)));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Erasure_deletes_the_leads_recordings_from_cloud_storage_and_keeps_other_leads_recordings()
    {
        await using var gcs = await FakeCloudStorageServer.StartAsync();
        var client = new StorageClientBuilder { BaseUri = gcs.BaseUri, UnauthenticatedAccess = true }.Build();
        var store = new CloudStorageRecordingStore(client, gcs.Bucket, 256 * 1024);
        await using var db = await DataModelContext.CreateAsync(servers, store);
        await EraseAndCheckAsync(db, store, exists: key => gcs.Objects.ContainsKey(key));
        Assert.Contains(gcs.Requests, r => r.StartsWith("DELETE /storage/v1/b/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_store_cannot_delete_nothing_is_erased_and_the_erasure_can_be_retried()
    {
        await using var gcs = await FakeCloudStorageServer.StartAsync();
        var client = new StorageClientBuilder { BaseUri = gcs.BaseUri, UnauthenticatedAccess = true }.Build();
        var store = new CloudStorageRecordingStore(client, gcs.Bucket, 256 * 1024);
        await using var db = await DataModelContext.CreateAsync(servers, store);
        var (lead, call) = await LeadWithRecordedCallAsync(db, store, "+14155550121");

        gcs.FailWith = System.Net.HttpStatusCode.ServiceUnavailable;
        await Assert.ThrowsAsync<Google.GoogleApiException>(() => db.Eraser.EraseLeadAsync(lead.Id, None));
        Assert.Null((await db.Leads.GetAsync(lead.Id, None))!.ErasedAt);
        Assert.NotNull((await db.Calls.GetAsync(call.Id, None))!.RecordingKey);

        gcs.FailWith = null;
        Assert.True(await db.Eraser.EraseLeadAsync(lead.Id, None));
        Assert.Null((await db.Calls.GetAsync(call.Id, None))!.RecordingKey);
        Assert.Empty(gcs.Objects);
    }

    private static async Task EraseAndCheckAsync(DataModelContext db, IRecordingStore store, Func<string, bool> exists)
    {
        var (lead, call) = await LeadWithRecordedCallAsync(db, store, "+14155550111");
        var (_, otherCall) = await LeadWithRecordedCallAsync(db, store, "+14155550112");
        var key = CallRecorder.KeyFor(call.Id);
        var otherKey = CallRecorder.KeyFor(otherCall.Id);
        Assert.True(exists(key));

        Assert.True(await db.Eraser.EraseLeadAsync(lead.Id, None));

        Assert.False(exists(key));
        Assert.Null(await store.OpenReadAsync(key, None));
        Assert.Null((await db.Calls.GetAsync(call.Id, None))!.RecordingKey);
        Assert.True(exists(otherKey));
        Assert.Equal(otherKey, (await db.Calls.GetAsync(otherCall.Id, None))!.RecordingKey);
        Assert.True(await db.Eraser.EraseLeadAsync(lead.Id, None)); // erasing again is harmless
    }

    private static async Task<(Lead Lead, Call Call)> LeadWithRecordedCallAsync(DataModelContext db, IRecordingStore store, string phone)
    {
        var campaign = await db.Campaigns.CreateAsync("Recorded", new CampaignSettings(), None);
        var lead = (await db.Leads.CreateAsync(campaign.Id, new NewLead { Phone = phone, Name = "Rec Orded" }, None))!;
        var call = await db.Calls.CreateAsync(new NewCall { LeadId = lead.Id, CampaignId = campaign.Id, Direction = CallDirections.Outbound, Provider = "simulator", ToNumber = phone }, None);
        var key = CallRecorder.KeyFor(call.Id);
        await store.SaveAsync(key, new MemoryStream(new byte[300_000]), CallRecorder.ContentType, None);
        await using var command = db.DataSource.CreateCommand("UPDATE calls SET recording_key = @key WHERE id = @id");
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("id", call.Id);
        await command.ExecuteNonQueryAsync();
        return (lead, call);
    }
}
