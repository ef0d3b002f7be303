namespace LeadGen.Testing;

/// <summary>Locates the repository checkout the tests run from (the folder holding LeadGen.sln).</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string Scripts => Path.Combine(Root, "scripts");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LeadGen.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"LeadGen.sln not found above {AppContext.BaseDirectory}.");
    }
}
