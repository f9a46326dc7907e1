using ChargerFirmware.Simulator;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

bool live = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");
return await SimulatorProgram.RunAsync(args, Console.In, Console.Out, Console.Error, live, cancel.Token);
