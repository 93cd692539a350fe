var builder = WebApplication.CreateBuilder(args);
builder.AddJudgeSilo();

var app = builder.Build();
app.MapJudgeApi();
await app.RunAsync();
