using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ContactEnrichment.DevHost.Catalog;
using ContactEnrichment.DevHost.Configuration;
using ContactEnrichment.DevHost.Http;
using ContactEnrichment.DevHost.Invocation;
using ContactEnrichment.DevHost.Queues;
using ContactEnrichment.DevHost.Timers;
using ContactEnrichment.Functions;

namespace ContactEnrichment.DevHost;

/// <summary>
/// Runs the app's function classes without the Functions host: HTTP triggers on ASP.NET Core
/// endpoints, queue triggers on Azure Storage queues and timer triggers on their schedules,
/// with the services that Functions/Program.cs registers.
/// </summary>
public sealed class DevHostApplication : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication app;
    private Uri? baseAddress;
    private bool started;

    private DevHostApplication(WebApplication app, IReadOnlyList<BoundFunction> functions)
    {
        this.app = app;
        Functions = functions.Select(f => f.Descriptor).ToList();
    }

    /// <summary>The app's service provider; valid before start, so commands can resolve services without serving.</summary>
    public IServiceProvider Services => app.Services;

    public IConfiguration Configuration => app.Configuration;

    public IReadOnlyList<FunctionDescriptor> Functions { get; }

    /// <summary>The address the server listens on, such as <c>http://127.0.0.1:7071/</c>; available after <see cref="StartAsync"/>.</summary>
    public Uri BaseAddress => baseAddress ?? throw new InvalidOperationException("DevHost has not started; call StartAsync first.");

    /// <summary>
    /// Builds the app: configuration, services, endpoints, listeners and schedules. Nothing
    /// listens or polls until <see cref="StartAsync"/>.
    /// </summary>
    /// <exception cref="DevHostConfigurationException">A setting, host.json, functions.metadata or a function signature is invalid.</exception>
    public static DevHostApplication Build(DevHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var url = LoopbackUrl.Parse(options.Url);
        var catalog = options.Functions ?? FunctionCatalog.LoadDefault();
        var functions = catalog.Functions.Select(BoundFunction.Create).ToList();
        var repositoryRoot = LocalSettingsFile.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var hostSettings = options.HostSettings ?? HostSettings.Find(catalog.Directory, AppContext.BaseDirectory, repositoryRoot);
        hostSettings.Queues.Validate();

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Development,
            ApplicationName = typeof(DevHostApplication).Assembly.GetName().Name,
        });
        builder.Configuration.Sources.Clear();
        DevHostConfiguration.AddSources(builder.Configuration, options, hostSettings);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (url.Address is null)
            {
                kestrel.ListenLocalhost(url.Port);
            }
            else
            {
                kestrel.Listen(url.Address, url.Port);
            }
        });

        builder.Services.AddContactEnrichmentFunctions(builder.Configuration);
        builder.Services.AddMvcCore();
        builder.Services.AddSingleton<FunctionInvoker>();
        if (options.EnableQueueListeners)
        {
            AddQueueListeners(builder.Services, builder.Configuration, functions, hostSettings.Queues);
        }

        if (options.EnableTimers)
        {
            AddTimerSchedulers(builder.Services, builder.Configuration, functions);
        }

        options.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DevHostApplication).FullName!);
        HttpFunctionEndpoints.Map(app, functions, hostSettings.RoutePrefix, logger);
        return new DevHostApplication(app, functions);
    }

    /// <summary>Starts listening, polling and scheduling; then <see cref="BaseAddress"/> is known.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await app.StartAsync(cancellationToken);
        started = true;
        baseAddress = new Uri(app.Urls.First().TrimEnd('/') + "/");
    }

    /// <summary>Stops the server and lets running invocations finish or observe their cancellation.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (started)
        {
            started = false;
            await app.StopAsync(cancellationToken);
        }
    }

    /// <summary>Completes when the host is asked to stop (Ctrl-C, SIGTERM or <see cref="StopAsync"/>).</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken = default)
    {
        await app.WaitForShutdownAsync(cancellationToken);
        started = false;
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(ShutdownTimeout))
        {
            await StopAsync(timeout.Token);
        }

        await app.DisposeAsync();
    }

    private static void AddQueueListeners(
        IServiceCollection services, IConfiguration configuration, IEnumerable<BoundFunction> functions, QueueHostSettings settings)
    {
        foreach (var function in functions)
        {
            if (function.Descriptor.Trigger is not QueueTriggerBinding binding)
            {
                continue;
            }

            var queueName = SettingReferences.Resolve(binding.QueueName, configuration, function.Name);
            var client = StorageConnection.CreateQueueServiceClient(configuration, binding.Connection, function.Name);
            services.AddSingleton<IHostedService>(provider => new QueueTriggerListener(
                function, client, queueName, settings,
                provider.GetRequiredService<FunctionInvoker>(),
                provider.GetRequiredService<ILogger<QueueTriggerListener>>()));
        }
    }

    private static void AddTimerSchedulers(IServiceCollection services, IConfiguration configuration, IEnumerable<BoundFunction> functions)
    {
        foreach (var function in functions)
        {
            if (function.Descriptor.Trigger is not TimerTriggerBinding binding)
            {
                continue;
            }

            var schedule = TimerSchedule.Parse(SettingReferences.Resolve(binding.Schedule, configuration, function.Name), function.Name);
            services.AddSingleton<IHostedService>(provider => new TimerTriggerScheduler(
                function, schedule, binding.RunOnStartup,
                provider.GetRequiredService<FunctionInvoker>(),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<IHostApplicationLifetime>(),
                provider.GetRequiredService<ILogger<TimerTriggerScheduler>>()));
        }
    }
}
