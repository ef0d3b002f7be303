using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Queue;

public static class QueueHostingExtensions
{
    /// <summary>
    /// The producer side of the queue, for any service that enqueues jobs (<see cref="IJobOutbox"/>). Needs the data
    /// stores (<c>AddLeadGenDataStores</c>).
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenJobQueue(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLeadGenJobQueueCore(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// The consumer side, for the Worker: the outbox relay, a consumer per registered handler
    /// (<see cref="AddJobHandler{THandler}"/>) and the queue gauges.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenJobProcessing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLeadGenJobProcessingCore(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddLeadGenJobQueueCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QueueOptions>().Bind(configuration.GetSection(QueueOptions.SectionName));
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<QueueOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<QueueTelemetry>();
        services.TryAddSingleton<IJobOutbox, PostgresJobOutbox>();
        return services;
    }

    public static IServiceCollection AddLeadGenJobProcessingCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddLeadGenJobQueueCore(configuration);
        services.TryAddSingleton<RedisJobStreams>();
        services.TryAddSingleton(provider => new RetryBackoff(provider.GetRequiredService<QueueOptions>()));
        services.TryAddSingleton<JobProcessor>();
        services.TryAddSingleton<OutboxRelay>();
        services.AddHostedService(provider => provider.GetRequiredService<OutboxRelay>());
        services.TryAddSingleton<JobConsumerService>();
        services.AddHostedService(provider => provider.GetRequiredService<JobConsumerService>());
        services.TryAddSingleton<QueueMetricsSampler>();
        services.AddHostedService(provider => provider.GetRequiredService<QueueMetricsSampler>());
        return services;
    }

    /// <summary>Consumes <paramref name="jobType"/> with <typeparamref name="THandler"/> (resolved in a scope per job).</summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services, string jobType, Type? requiredService = null)
        where THandler : class, IJobHandler
    {
        if (!JobTypes.IsValidName(jobType))
        {
            throw new ArgumentException($"'{jobType}' is not a valid job type.", nameof(jobType));
        }

        services.AddKeyedScoped<IJobHandler, THandler>(jobType);
        services.AddSingleton(new JobHandlerRegistration(jobType, requiredService));
        return services;
    }
}
