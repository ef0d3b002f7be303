using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace AzureFreeGcpManifests.CloudRun;

/// <summary>YamlDotNet set up for Kubernetes-style documents: camelCase keys, nulls omitted, ambiguous strings quoted.</summary>
internal static class YamlWriter
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .WithNewLine("\n")
        .Build();

    public static string Serialize(object node) => Serializer.Serialize(node);
}
