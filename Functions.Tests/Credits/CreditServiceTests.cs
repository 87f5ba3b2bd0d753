using ContactEnrichment.Core.Credits;
using ContactEnrichment.Functions.Tests.Http;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Credits;

[Collection(LocalStackDefinition.Name)]
public sealed class CreditServiceTests(LocalStackFixture stack) : IAsyncLifetime
{
    private RunningApp app = null!;

    public async Task InitializeAsync() => app = await stack.StartAppAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Reserve_MoreThanAvailable_ThrowsAndReservesNothing()
    {
        var context = new ApiTestContext(stack, app);
        await context.SeedPersonsAsync(0, 25);
        var credits = context.Service<CreditService>();

        var error = await Assert.ThrowsAsync<InsufficientCreditsException>(() =>
            credits.ReserveAsync(context.OrgId, "r1", new Dictionary<string, int> { ["a"] = 10, ["b"] = 10, ["c"] = 10 }, CancellationToken.None));
        var balance = await context.BalanceAsync();

        Assert.Equal(25, error.Available);
        Assert.Equal(30, error.Required);
        Assert.Equal(25, balance.Balance);
        Assert.Equal(0, balance.Reserved);
    }

    [Fact]
    public async Task ChargeAndRelease_Repeated_ApplyOnce()
    {
        var context = new ApiTestContext(stack, app);
        await context.SeedPersonsAsync(0, 100);
        var credits = context.Service<CreditService>();
        await credits.ReserveAsync(context.OrgId, "r1", new Dictionary<string, int> { ["a"] = 10, ["b"] = 10 }, CancellationToken.None);

        Assert.True(await credits.ChargeAsync(context.OrgId, "r1", "a", 10, "phones", "charge-a", CancellationToken.None));
        Assert.False(await credits.ChargeAsync(context.OrgId, "r1", "a", 10, "phones", "charge-a", CancellationToken.None));
        Assert.False(await credits.ReleaseAsync(context.OrgId, "r1", "a", 10, CancellationToken.None));
        Assert.True(await credits.ReleaseAsync(context.OrgId, "r1", "b", 10, CancellationToken.None));
        Assert.False(await credits.ChargeAsync(context.OrgId, "r1", "b", 10, "phones", "charge-b", CancellationToken.None));

        var balance = await context.BalanceAsync();
        var ledger = await credits.ReadLedgerAsync(context.OrgId, CancellationToken.None);
        Assert.Equal(90, balance.Balance);
        Assert.Equal(0, balance.Reserved);
        Assert.Equal(90, balance.Available);
        Assert.Equal(balance.Balance, ledger.Where(entry => entry.Id != "charge-b").Sum(entry => entry.Amount));
    }
}
