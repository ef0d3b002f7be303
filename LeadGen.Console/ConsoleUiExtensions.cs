using LeadGen.Console.Components;
using LeadGen.Core.Reporting;
using Microsoft.FluentUI.AspNetCore.Components;
using Radzen;

namespace LeadGen.Console;

/// <summary>The operators' web app (Blazor, interactive server rendering): one line each in Program.cs.</summary>
public static class ConsoleUiExtensions
{
    public static WebApplicationBuilder AddLeadGenConsoleUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddFluentUIComponents();
        builder.Services.AddRadzenComponents(); // charts; without its script and registration the circuit dies
        builder.Services.AddLeadGenReporting();
        return builder;
    }

    public static WebApplication MapLeadGenConsoleUi(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
