namespace LeadGen.Console.Apis;

internal static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static int Limit(int? requested, Validation validation)
    {
        if (requested is null)
        {
            return DefaultLimit;
        }

        if (requested is < 1 or > MaxLimit)
        {
            validation.Add("limit", $"Between 1 and {MaxLimit}.");
        }

        return Math.Clamp(requested.Value, 1, MaxLimit);
    }
}
