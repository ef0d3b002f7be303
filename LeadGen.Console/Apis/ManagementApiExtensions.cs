using LeadGen.Core.Leads.Import;
using LeadGen.Console.Auth;
using Scalar.AspNetCore;

namespace LeadGen.Console.Apis;

/// <summary>The management API under /api: one line each in Program.cs.</summary>
public static class ManagementApiExtensions
{
    public static WebApplicationBuilder AddLeadGenManagementApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ManagementApiOptions>().BindConfiguration(ManagementApiOptions.SectionName)
            .Validate(options => options.MaxRequestBodyBytes > 0, "ManagementApi:MaxRequestBodyBytes must be a positive number of bytes.")
            .ValidateOnStart();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.AddSingleton<BackgroundImports>();
        builder.Services.AddHostedService(services => services.GetRequiredService<BackgroundImports>());
        // Bad JSON or query values throw BadHttpRequestException, which ApiExceptionHandler turns into a ProblemDetails
        // that says what was wrong (the default is an empty 400).
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer<ApiKeySecurityTransformer>());
        return builder;
    }

    public static WebApplication MapLeadGenManagementApi(this WebApplication app)
    {
        // Who may call: the group's policy (the X-Api-Key scheme). Body size limits: the middleware, for this group's endpoints.
        app.UseMiddleware<ManagementApiBodyLimits>();
        var api = app.MapGroup("/api")
            .RequireAuthorization(ConsolePolicies.ManagementApi)
            .WithMetadata(ManagementApiEndpoint.Instance)
            .WithApiProblemResponses();
        api.MapConversationsApi();
        api.MapCampaignsApi();
        api.MapLeadsApi();
        api.MapImportsApi();
        api.MapCallsApi();
        api.MapDoNotCallApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapOpenApi();
            app.MapScalarApiReference();
        }

        return app;
    }
}
