using LeadGen.Core.Compliance;
using LeadGen.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace LeadGen.Queue.Tests.Compliance;

/// <summary>
/// The same property through the dialer's real selection path: random leads stored in Postgres, the finder (SQL
/// narrowing + policy) run at random clock times of a fake TimeProvider. No lead it returns may break a rule.
/// </summary>
[Collection(ServersCollection.Name)]
public sealed class EligibleLeadFinderPropertyTests(SharedServers servers)
{
    [Fact]
    public async Task At_random_clock_times_the_finder_returns_only_leads_inside_their_window_off_the_DNC_list_and_with_required_consent()
    {
        var database = await servers.Postgres.CreateMigratedDatabaseAsync("eligible");
        var world = new EligibilityWorld(EligibilityWorld.Seed + 1);
        var baseline = new DateTimeOffset(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);
        var campaigns = new List<(Guid Id, DialRules Rules)>();
        var leads = new Dictionary<Guid, DialCandidate>();
        var doNotCall = new HashSet<string>(StringComparer.Ordinal);
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            for (var c = 0; c < 3; c++)
            {
                var rules = world.NextRules();
                var id = Guid.NewGuid();
                campaigns.Add((id, rules));
                await DialerData.InsertCampaignAsync(connection, id, rules, "running", maxConcurrentCalls: null);
                var phones = new HashSet<string>(StringComparer.Ordinal);
                for (var l = 0; l < 150; l++)
                {
                    var (lead, onDnc) = world.NextLead(id, baseline);
                    if (!phones.Add(lead.Phone!))
                    {
                        continue;
                    }

                    leads[lead.LeadId] = lead;
                    await DialerData.InsertLeadAsync(connection, lead);
                    if (onDnc && doNotCall.Add(lead.Phone!))
                    {
                        await DialerData.AddToDoNotCallAsync(connection, lead.Phone!);
                    }
                }
            }
        }

        // Clock times spread over three days around the leads' attempt history (spacing matters) and all hours.
        var instants = Enumerable.Range(0, 40).Select(_ => baseline.AddMinutes(world.Random.Next(-24 * 60, 3 * 24 * 60))).Order().ToList();
        var clock = new FakeTimeProvider(instants[0]);
        var finder = new EligibleLeadFinder(new CallEligibilityPolicy(new LeadTimeZoneResolver()), clock);
        var eligibleSeen = 0;
        var windowRefusals = 0;
        await using var dataSource = NpgsqlDataSource.Create(database);
        foreach (var instant in instants)
        {
            clock.SetUtcNow(instant);
            foreach (var (campaignId, rules) in campaigns)
            {
                await using var connection = await dataSource.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                var selection = await finder.FindAsync(transaction, campaignId, rules, wanted: 10_000, scanLimit: 10_000, CancellationToken.None);
                await transaction.RollbackAsync();

                Assert.Equal(instant, selection.DecidedAt);
                foreach (var eligible in selection.Eligible)
                {
                    var stored = leads[eligible.LeadId];
                    EligibilityWorld.AssertMayBeCalled(stored, doNotCall.Contains(stored.Phone!), rules, instant);
                }

                eligibleSeen += selection.Eligible.Count;
                windowRefusals += selection.Skipped.Count(decision => decision.Reason == IneligibilityReason.OutsideCallingWindow);
            }
        }

        Assert.True(eligibleSeen > 20, $"only {eligibleSeen} eligible selections: the property would be vacuous");
        Assert.True(windowRefusals > 20, $"only {windowRefusals} refusals for the calling window");
    }
}
