using ContactEnrichment.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddContactEnrichmentFunctions(builder.Configuration);

await builder.Build().RunAsync();
