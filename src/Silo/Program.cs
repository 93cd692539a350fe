using Judge.Silo.Database;

if (args is [MigrateCommand.Name, .. var migrateArgs])
    return await MigrateCommand.RunAsync(migrateArgs, Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder(args);
builder.AddJudgeSilo();

var app = builder.Build();
app.MapJudgeApi();
await app.RunAsync();
return 0;
