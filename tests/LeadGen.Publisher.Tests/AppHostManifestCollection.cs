namespace LeadGen.Publisher.Tests;

/// <summary>Shares one generated AppHost manifest between the test classes that publish it.</summary>
[CollectionDefinition(Name)]
public sealed class AppHostManifestCollection : ICollectionFixture<AppHostManifestFixture>
{
    public const string Name = "AppHost manifest";
}
