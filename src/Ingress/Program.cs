// The SQS ingress as a host of its own: an Orleans client of the cluster that pumps Judge:Sqs:QueueUrl into it.
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.UseJudgeClusterClient();
builder.AddSqsIngress();
builder.Build().Run();
