// The SQS ingress as a host of its own: an Orleans client of the cluster that pumps Judge:Sqs:QueueUrl into it, and
// answers /health, /ready and /metrics on Judge:Http:Urls (default http://127.0.0.1:5081).
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

// A configuration it cannot run with ends the ingress before it starts: one line per problem naming the key, exit code 2.
return await InvalidConfiguration.RunAsync("judge-ingress", async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddJudgeIngress(); // the service defaults, the cluster client, the SQS pump

    var app = builder.Build();
    app.MapServiceDefaults();  // /health, /ready, /metrics
    app.ValidateConfiguration();
    await app.RunAsync();
}, Console.Error);
