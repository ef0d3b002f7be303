using LeadGen.Testing;

namespace LeadGen.Calls.Tests;

[CollectionDefinition(Name)]
public sealed class ServersCollection : ICollectionFixture<SharedServers>
{
    public const string Name = "servers";
}
