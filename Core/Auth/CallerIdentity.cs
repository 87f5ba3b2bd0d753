namespace ContactEnrichment.Core.Auth;

/// <summary>The authenticated caller: the token's user (<c>sub</c>) and organization.</summary>
public sealed record CallerIdentity(string UserId, string OrgId);
