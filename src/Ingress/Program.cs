// The SQS ingress host arrives with its issue (pumping SQS into the cluster). Until then it refuses to start
// rather than pretending to pump: nothing may be silently dropped.
using Microsoft.Extensions.Configuration;

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
var queue = configuration["Judge:Sqs:QueueUrl"];
Console.Error.WriteLine(queue is null
    ? "Judge.Ingress: not implemented yet; submit through the silo's HTTP API (POST /api/submissions)."
    : $"Judge.Ingress: SQS ingress is not implemented yet; queue '{queue}' is not being read.");
return 2;
