using System.Reflection;
using System.Text;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LeadGen.Simulator;

/// <summary>
/// The simulated leads shipped with the product (YAML files embedded from <c>tools/LeadGen.Simulator/Personas</c>), and the
/// rule that maps a lead to one: a deterministic hash of its E.164 phone number, weighted by each persona's
/// <see cref="LeadPersona.Weight"/> — the simulator only sees the number it dials, and the demo seeder and the evals
/// pick numbers with <see cref="PhoneFor"/> so each lead gets the persona they intend.
/// </summary>
public sealed class PersonaCatalog
{
    private const string ResourcePrefix = "LeadGen.Simulator.Personas.";

    private static readonly Lazy<PersonaCatalog> Embedded = new(() => new PersonaCatalog(LoadEmbedded()));

    private readonly List<LeadPersona> _slots; // each persona repeated Weight times, in id order

    public PersonaCatalog(IReadOnlyList<LeadPersona> personas)
    {
        if (personas.Count == 0)
        {
            throw new ArgumentException("At least one persona is required.", nameof(personas));
        }

        Personas = [.. personas.OrderBy(persona => persona.Id, StringComparer.Ordinal)];
        _slots = [.. Personas.SelectMany(persona => Enumerable.Repeat(persona, Math.Max(1, persona.Weight)))];
    }

    public static PersonaCatalog Default => Embedded.Value;

    public IReadOnlyList<LeadPersona> Personas { get; }

    public LeadPersona Get(string id) => Personas.FirstOrDefault(persona => persona.Id == id)
        ?? throw new KeyNotFoundException($"No persona '{id}'.");

    /// <summary>The persona the simulator plays for a lead with this number (FNV-1a of the digits, over the weighted slots).</summary>
    public LeadPersona ForPhone(string e164)
    {
        var hash = 2166136261u;
        foreach (var c in e164)
        {
            if (char.IsAsciiDigit(c))
            {
                hash = (hash ^ c) * 16777619u;
            }
        }

        return _slots[(int)(hash % (uint)_slots.Count)];
    }

    /// <summary>
    /// A fictional number (+1 area 555, exchange 01xx: reserved for fiction in the North American plan… extended with a
    /// counter) that maps to <paramref name="persona"/>: the first candidate from <paramref name="seed"/> on that does.
    /// </summary>
    public string PhoneFor(LeadPersona persona, int seed)
    {
        for (var n = seed; ; n++)
        {
            var phone = $"+1212555{n % 10_000:D4}";
            if (ForPhone(phone).Id == persona.Id)
            {
                return phone;
            }

            if (n - seed > 100_000)
            {
                throw new InvalidOperationException($"No number maps to persona '{persona.Id}'.");
            }
        }
    }

    public static LeadPersona Parse(string id, string yaml)
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        var persona = deserializer.Deserialize<LeadPersona>(yaml) ?? throw new FormatException($"Persona '{id}' is empty.");
        persona.Id = id;
        if (string.IsNullOrWhiteSpace(persona.Expected.Outcome))
        {
            throw new FormatException($"Persona '{id}' has no expected outcome.");
        }

        return persona;
    }

    private static List<LeadPersona> LoadEmbedded()
    {
        var assembly = typeof(PersonaCatalog).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(name => Parse(name[ResourcePrefix.Length..^".yaml".Length], Read(assembly, name)))];
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
