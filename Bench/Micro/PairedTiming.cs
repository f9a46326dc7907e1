using System.Diagnostics;

namespace ChargerFirmware.Bench.Micro;

/// <summary>
/// Two operations timed in alternating batches (A B, then B A, …), so both see the same machine
/// load: on a shared machine whose load swings, BenchmarkDotNet's runs of two benchmarks minutes
/// apart can differ by more than the operations do. The result is the median over rounds of the
/// ratio A ÷ B, and each side's median time per operation.
/// </summary>
public static class PairedTiming
{
    public sealed record Result(double MedianRatio, double ANs, double BNs, int Rounds);

    public static Result Compare(Func<int> a, Func<int> b, int rounds, int batch)
    {
        int sink = 0;
        for (int i = 0; i < batch; i++)
        {
            sink += a() + b();
        }

        var ratios = new double[rounds];
        var aNs = new double[rounds];
        var bNs = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            double ta;
            double tb;
            if ((r & 1) == 0)
            {
                ta = Time(a, batch, ref sink);
                tb = Time(b, batch, ref sink);
            }
            else
            {
                tb = Time(b, batch, ref sink);
                ta = Time(a, batch, ref sink);
            }

            ratios[r] = ta / tb;
            aNs[r] = ta / batch;
            bNs[r] = tb / batch;
        }

        GC.KeepAlive(sink);
        return new Result(Median(ratios), Median(aNs), Median(bNs), rounds);
    }

    private static double Time(Func<int> op, int batch, ref int sink)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < batch; i++)
        {
            sink += op();
        }

        return Stopwatch.GetElapsedTime(start).TotalNanoseconds;
    }

    private static double Median(double[] values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
