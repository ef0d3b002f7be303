namespace AzureFreeGcpManifests;

/// <summary>The manifest (or the options) cannot be published; each problem is one line for stderr.</summary>
internal sealed class PublishException : Exception
{
    public PublishException(string problem)
        : this([problem])
    {
    }

    public PublishException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public PublishException()
        : this("publishing failed")
    {
    }

    public PublishException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public IReadOnlyList<string> Problems { get; } = [];
}
