using Amazon.CDK;
using Judge.Deploy.Aws;

var app = new App();
JudgeApp.Define(app);
app.Synth();
