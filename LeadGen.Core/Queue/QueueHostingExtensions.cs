using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Queue;

public static class QueueHostingExtensions
{
    /// <summary>
    /// The producer side of the queue, for any service that enqueues jobs (<see cref="IJobOutbox"/>): options
    /// (<c>Queue</c>, validated on start) and the queue's telemetry. Needs the data stores (<c>AddLeadGenDataStores</c>).
    /// A host calls this or <see cref="AddLeadGenJobProcessing"/>, which includes it.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenJobQueue(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<QueueOptions>()
            .Bind(builder.Configuration.GetSection(QueueOptions.SectionName))
            .Validate(options => options.MaxAttempts > 0, "Queue:MaxAttempts must be at least 1.")
            .Validate(options => options.Concurrency > 0 && options.ConcurrencyByType.Values.All(value => value > 0), "Queue:Concurrency (and every Queue:ConcurrencyByType value) must be at least 1.")
            .Validate(
                options => options.ReadBatchSize > 0 && options.ProcessBatchSize > 0 && options.RelayBatchSize > 0 && options.ProcessBatchSizeByType.Values.All(value => value > 0),
                "Queue:ReadBatchSize, ProcessBatchSize, RelayBatchSize (and every Queue:ProcessBatchSizeByType value) must be at least 1.")
            .Validate(
                options => options.VisibilityTimeout > TimeSpan.Zero && options.BaseBackoff > TimeSpan.Zero && options.MaxBackoff >= options.BaseBackoff,
                "Queue:VisibilityTimeout and Queue:BaseBackoff must be positive durations and Queue:MaxBackoff at least Queue:BaseBackoff.")
            .Validate(
                options => options.RelayPollInterval > TimeSpan.Zero && options.ConsumerPollInterval > TimeSpan.Zero && options.RetryPollInterval > TimeSpan.Zero && options.MetricsSampleInterval > TimeSpan.Zero,
                "Queue:RelayPollInterval, ConsumerPollInterval, RetryPollInterval and MetricsSampleInterval must be positive durations.")
            .ValidateOnStart();
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<QueueOptions>>().Value);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<QueueTelemetry>();
        services.TryAddSingleton<IJobOutbox, PostgresJobOutbox>();
        return builder;
    }

    /// <summary>
    /// The Worker's side: the producer (<see cref="AddLeadGenJobQueue"/>), the outbox relay, a consumer per registered
    /// handler (<see cref="AddJobHandler{THandler}"/>) and the queue gauges.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenJobProcessing(this IHostApplicationBuilder builder)
    {
        builder.AddLeadGenJobQueue();
        var services = builder.Services;
        services.TryAddSingleton<RedisJobStreams>();
        services.TryAddSingleton(provider => new RetryBackoff(provider.GetRequiredService<QueueOptions>()));
        services.TryAddSingleton<JobProcessor>();
        services.TryAddSingleton<OutboxRelay>();
        services.AddHostedService(provider => provider.GetRequiredService<OutboxRelay>());
        services.TryAddSingleton<JobConsumerService>();
        services.AddHostedService(provider => provider.GetRequiredService<JobConsumerService>());
        services.TryAddSingleton<QueueMetricsSampler>();
        services.AddHostedService(provider => provider.GetRequiredService<QueueMetricsSampler>());
        return builder;
    }

    /// <summary>Consumes <paramref name="jobType"/> with <typeparamref name="THandler"/> (resolved in a scope per job).</summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services, string jobType, Type? requiredService = null)
        where THandler : class, IJobHandler
    {
        if (!JobTypes.IsValidName(jobType))
        {
            throw new ArgumentException($"'{jobType}' is not a valid job type.", nameof(jobType));
        }

        if (requiredService is null)
        {
            services.AddKeyedScoped<IJobHandler, THandler>(jobType);
        }
        else
        {
            // A factory: the container's build-time validation must not fail while the required service is absent
            // (the type is then simply not consumed, see JobConsumerService).
            services.AddKeyedScoped<IJobHandler>(jobType, (provider, _) => ActivatorUtilities.CreateInstance<THandler>(provider));
        }
        services.AddSingleton(new JobHandlerRegistration(jobType, requiredService));
        return services;
    }
}
