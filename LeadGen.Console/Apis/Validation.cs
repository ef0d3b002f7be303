namespace LeadGen.Console.Apis;

/// <summary>Collects field errors for one request; <see cref="Result"/> is a 400 ValidationProblem naming each field.</summary>
internal sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    /// <summary>Each bad field's messages (the console's forms show them beside the fields).</summary>
    public IReadOnlyDictionary<string, List<string>> Errors => _errors;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>Adds <paramref name="problem"/> for <paramref name="field"/> when it is not null.</summary>
    public void Check(string field, string? problem)
    {
        if (problem is not null)
        {
            Add(field, problem);
        }
    }

    public IResult Result() => BadRequests.Result(
        _errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray()),
        "One or more fields are invalid; see errors.");
}
