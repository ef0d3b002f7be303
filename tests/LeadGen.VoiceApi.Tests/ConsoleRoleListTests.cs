using LeadGen.Console.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadGen.VoiceApi.Tests;

/// <summary>
/// The console's allow-list as one secret string (Auth:RoleList; in Cloud Run the Secret Manager secret
/// console-role-list), so no e-mail address is written into a deployment file; it adds to Auth:Roles.
/// </summary>
public sealed class ConsoleRoleListTests
{
    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddLeadGenConsoleAuth();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return builder.Build();
    }

    [Fact]
    public async Task Entries_of_the_role_list_grant_roles_like_the_roles_section()
    {
        await using var app = Build(new()
        {
            ["Auth:RoleList"] = " ana@example.test=admin; example.test = viewer ,\nops@other.test=Operator",
            ["Auth:Roles:boss@third.test"] = "admin",
        });
        var allowList = app.Services.GetRequiredService<RoleAllowList>();

        Assert.Equal(ConsoleRoles.Admin, allowList.RoleFor("ana@example.test"));
        Assert.Equal(ConsoleRoles.Viewer, allowList.RoleFor("someone@example.test"));
        Assert.Equal(ConsoleRoles.Operator, allowList.RoleFor("OPS@other.test"));
        Assert.Equal(ConsoleRoles.Admin, allowList.RoleFor("boss@third.test"));
        Assert.Null(allowList.RoleFor("stranger@elsewhere.test"));
    }

    [Fact]
    public async Task A_malformed_entry_stops_the_console_at_startup_without_echoing_the_list()
    {
        await using var app = Build(new() { ["Auth:RoleList"] = "ana@example.test=admin; bob@example.test; carol@example.test=superuser" });

        var problem = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Auth:RoleList", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("example.test", problem.Message, StringComparison.Ordinal);
        Assert.Equal([2, 3], new ConsoleAuthOptions { RoleList = "ana@example.test=admin; bob@example.test; carol@example.test=superuser" }.MalformedRoleListEntries());
    }
}
