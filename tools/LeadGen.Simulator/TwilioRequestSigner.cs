using System.Security.Cryptography;
using System.Text;

namespace LeadGen.Simulator;

/// <summary>
/// Signs a webhook the way Twilio does: HMAC-SHA1 keyed with the auth token over the full URL followed by every POST
/// parameter as name+value, sorted by name; base64. The server checks it with the Twilio SDK's validator.
/// </summary>
public static class TwilioRequestSigner
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "Twilio's signature scheme is HMAC-SHA1; we must match it.")]
    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }
}
