using ChargerFirmware.Drivers.Converter;
using ChargerFirmware.Drivers.Pilot;
using ChargerFirmware.Events;
using ChargerFirmware.Panel;
using ChargerFirmware.Tests.Support;
using Xunit;

namespace ChargerFirmware.Tests.Control;

/// <summary>
/// Random sequences of pilot levels, faults, feedback and commands; after every tick the safety
/// rules must hold: the contactor is never closed outside C/D or with a fault; once the pilot
/// line has been outside C/D for 100 ms the contactor is open; the setpoint is 0 whenever the
/// contactor is open or not confirmed closed.
/// </summary>
public class SafetyPropertyTests
{
    private const int Sequences = 10_000;
    private const int TicksPerSequence = 200;

    [Fact]
    public void Safety_rules_hold_after_every_tick_of_random_sequences()
    {
        var classifier = new PilotClassifier();
        var sample = new PilotSample();
        int closedTicks = 0;
        int opensAfterLeaving = 0;
        for (int seed = 0; seed < Sequences; seed++)
        {
            var random = new Random(seed);
            bool ventilation = random.Next(4) == 0;
            var rig = new ChargerRig(c => c.VentilationAvailable = ventilation);
            rig.Pilot.CarState = PilotState.B;
            long outsideSince = -1;
            bool wasClosed = false;
            for (int tick = 0; tick < TicksPerSequence; tick++)
            {
                Perturb(rig, random);
                rig.Step();

                // What is on the line now, as a fresh classifier without history reads it.
                bool sampled = rig.Pilot.Sample(sample);
                int line = sampled ? classifier.Classify(sample.HighMv, PilotState.Invalid) : PilotState.Invalid;
                bool inside = line == PilotState.C || (line == PilotState.D && ventilation);
                long now = rig.Clock.MonotonicMs;
                outsideSince = inside ? -1 : (outsideSince < 0 ? now : outsideSince);

                bool closed = rig.Contactor.Driven;
                int pilot = rig.Charger.Pilot;
                string where = $"seed {seed}, tick {tick}";
                if (closed)
                {
                    closedTicks++;
                    Assert.True(pilot == PilotState.C || (pilot == PilotState.D && ventilation), $"{where}: closed in pilot {PilotState.Name(pilot)}");
                    Assert.False(rig.Charger.Faults.BlocksPower, $"{where}: closed with faults {rig.Charger.Faults.Active}");
                }

                if (outsideSince >= 0 && now - outsideSince >= 100)
                {
                    Assert.False(closed, $"{where}: still closed {now - outsideSince} ms after the pilot left C/D");
                }

                if (wasClosed && !closed && outsideSince >= 0)
                {
                    opensAfterLeaving++;
                }

                if (!closed || !rig.Contactor.FeedbackClosed)
                {
                    Assert.True(rig.Converter.SetpointW == 0, $"{where}: setpoint {rig.Converter.SetpointW} W with the contactor open");
                }

                wasClosed = closed;
            }
        }

        // The sequences must really exercise closing and leaving, or the rules above prove nothing.
        Assert.True(closedTicks > Sequences * 5, $"only {closedTicks} closed ticks");
        Assert.True(opensAfterLeaving > Sequences / 10, $"only {opensAfterLeaving} openings after the pilot left");
    }

    private static void Perturb(ChargerRig rig, Random random)
    {
        rig.Pilot.ClearOverride();
        if (random.Next(100) < 4)
        {
            // One-sample glitches, often enough that some land in the middle of a real leave.
            rig.Pilot.OverrideMv(random.Next(-14_000, 14_000), random.Next(-14_000, 14_000));
            return;
        }

        int roll = random.Next(2500);
        if (roll < 40)
        {
            rig.Pilot.CarState = random.Next(10) switch
            {
                0 => PilotState.A,
                1 or 2 => PilotState.B,
                3 => PilotState.D,
                _ => PilotState.C,
            };
        }
        else if (roll < 60)
        {
            rig.Pilot.Shorted = !rig.Pilot.Shorted;
        }
        else if (roll < 65)
        {
            rig.Pilot.AdcFailed = !rig.Pilot.AdcFailed;
        }
        else if (roll < 70)
        {
            rig.Pilot.DiodePresent = !rig.Pilot.DiodePresent;
        }
        else if (roll < 75)
        {
            rig.Rcd.ResidualCurrent = !rig.Rcd.ResidualCurrent;
        }
        else if (roll < 78)
        {
            rig.Contactor.Welded = !rig.Contactor.Welded;
        }
        else if (roll < 81)
        {
            rig.Contactor.StuckOpen = !rig.Contactor.StuckOpen;
        }
        else if (roll < 86)
        {
            rig.Temperature.DeciCelsius = random.Next(200, 760);
        }
        else if (roll < 89)
        {
            rig.Converter.Faults = random.Next(3) == 0 ? ConverterFaults.Internal : 0;
        }
        else if (roll < 92)
        {
            rig.Converter.Answers = random.Next(4) != 0;
        }
        else if (roll < 95)
        {
            rig.Converter.Ready = random.Next(4) != 0;
        }
        else if (roll < 130)
        {
            rig.Tap(random.Next(3) switch { 0 => PanelButtons.Allow, 1 => PanelButtons.Deny, _ => PanelButtons.StopSharing });
        }
        else if (roll < 135)
        {
            rig.Inbox.Post(ControlEventKind.ClearFaults, 0, 0, null, null);
        }
        else if (roll < 138)
        {
            rig.Inbox.Post(ControlEventKind.SetEnabled, random.Next(2), 0, null, null);
        }
        else if (roll < 140)
        {
            rig.Inbox.Post(ControlEventKind.SelfTest, 0, 0, null, null);
        }
    }
}
