using Judge.Silo.Database;
using Judge.Silo.Verify;

if (args is [MigrateCommand.Name, .. var migrateArgs])
    return await MigrateCommand.RunAsync(migrateArgs, Console.Out, Console.Error);
if (args is [VerifyCommand.Name, .. var verifyArgs])
    return await VerifyCommand.RunAsync(verifyArgs, Console.Out, Console.Error);

// A configuration it cannot run with ends the silo before it starts: one line per problem naming the key, exit code 2.
return await InvalidConfiguration.RunAsync("judge-silo", async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddJudgeSilo();       // the service defaults, Orleans, judging

    var app = builder.Build();
    app.MapJudgeSilo();           // the access rules, /metrics, the HTTP API and the dashboard
    app.ValidateConfiguration();  // every option bound and validated now, before Orleans starts
    await app.RunAsync();
}, Console.Error);
