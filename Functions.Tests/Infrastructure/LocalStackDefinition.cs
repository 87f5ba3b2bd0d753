namespace ContactEnrichment.Functions.Tests.Infrastructure;

/// <summary>
/// The tests that need Azurite and the Cosmos DB stand-in. xunit creates one
/// <see cref="LocalStackFixture"/> for all of them and runs them one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LocalStackDefinition : ICollectionFixture<LocalStackFixture>
{
    public const string Name = "LocalStack";
}
