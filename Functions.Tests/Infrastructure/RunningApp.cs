using ContactEnrichment.DevHost;

namespace ContactEnrichment.Functions.Tests.Infrastructure;

/// <summary>The app running in this process under DevHost, with a client for its base address.</summary>
public sealed class RunningApp : IAsyncDisposable
{
    internal RunningApp(DevHostApplication application)
    {
        Application = application;
        Client = new HttpClient { BaseAddress = application.BaseAddress };
    }

    public DevHostApplication Application { get; }

    /// <summary>For example <c>http://127.0.0.1:43117/</c>; routes start with <c>api/</c>.</summary>
    public Uri BaseAddress => Application.BaseAddress;

    public HttpClient Client { get; }

    public IServiceProvider Services => Application.Services;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Application.DisposeAsync();
    }
}
