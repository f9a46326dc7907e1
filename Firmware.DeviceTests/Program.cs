using System.Diagnostics;
using ChargerFirmware.DeviceTests.Scenario;

namespace ChargerFirmware.DeviceTests
{
    /// <summary>The device-runtime run on nanoCLR: every line goes to the interpreter's output (see <see cref="RunFormat"/>).</summary>
    public static class Program
    {
        /// <summary>Runs everything; a failed check ends the program with an exception, so nanorun exits non-zero.</summary>
        public static void Main()
        {
            DeviceRun run = new DeviceRun(new DebugReport());
            run.All();
            if (run.Failed > 0)
            {
                throw new System.Exception(run.Failed.ToString() + " device check(s) failed");
            }
        }
    }

    /// <summary>Lines to nanoCLR's output (Debug.WriteLine is its console).</summary>
    public sealed class DebugReport : IReport
    {
        /// <inheritdoc />
        public void Line(string text)
        {
            Debug.WriteLine(text);
        }
    }
}
