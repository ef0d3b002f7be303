using LeadGen.Testing;

namespace LeadGen.Queue.Tests;

[CollectionDefinition(Name)]
public sealed class ServersCollection : ICollectionFixture<SharedServers>
{
    public const string Name = "queue-servers";
}
