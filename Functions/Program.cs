using ContactEnrichment.Functions;
using ContactEnrichment.Functions.Telemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddContactEnrichmentFunctions(builder.Configuration);
builder.Services.AddContactEnrichmentTelemetry(builder.Configuration);

await builder.Build().RunAsync();
