using Judge.Silo.Database;
using Judge.Silo.Verify;

if (args is [MigrateCommand.Name, .. var migrateArgs])
    return await MigrateCommand.RunAsync(migrateArgs, Console.Out, Console.Error);
if (args is [VerifyCommand.Name, .. var verifyArgs])
    return await VerifyCommand.RunAsync(verifyArgs, Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder(args);
builder.AddJudgeSilo(); // the service defaults, Orleans, judging

var app = builder.Build();
app.MapJudgeSilo();     // the access rules, /metrics, the HTTP API and the dashboard
await app.RunAsync();
return 0;
