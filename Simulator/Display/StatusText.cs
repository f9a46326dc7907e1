using ChargerFirmware.Arbiter;
using ChargerFirmware.Consent;
using ChargerFirmware.Faults;
using ChargerFirmware.Ledger;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Status;

using DriverPilot = ChargerFirmware.Drivers.Pilot.PilotState;

namespace ChargerFirmware.Simulator.Display;

/// <summary>Human text for a charger's status: every name from an explicit map, as on the device.</summary>
public static class StatusText
{
    /// <summary>Simulated time as h:mm:ss.</summary>
    public static string Clock(long simMs)
    {
        TimeSpan t = TimeSpan.FromMilliseconds(simMs);
        return $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}";
    }

    /// <summary>The pilot state's letter, or "invalid".</summary>
    public static string Pilot(int pilot) => pilot switch
    {
        DriverPilot.A => "A",
        DriverPilot.B => "B",
        DriverPilot.C => "C",
        DriverPilot.D => "D",
        DriverPilot.E => "E",
        DriverPilot.F => "F",
        _ => "invalid",
    };

    /// <summary>The session state's wire name.</summary>
    public static string State(int state) => ChargerState.Names.Name(state) ?? "?";

    /// <summary>
    /// One line: state, consent, pilot, SOC (as the charger knows it), power and setpoint, the
    /// arbiter's reason, the dispatch, the session's energy, and the faults when any.
    /// </summary>
    public static string Line(ChargerStatus s)
    {
        string soc = s.SocKnown ? $"{s.SocPermille / 10.0:0.0}%" : "?";
        string faults = s.Faults == 0 ? "" : " | faults " + FaultList(s.Faults);
        return $"{State(s.State)} | consent {ConsentStates.Name(s.Consent)} | pilot {Pilot(s.Pilot)} | SOC {soc} | "
            + $"{s.PowerW} W (set {s.SetpointW}) | {ReasonCodes.Name(s.Reason)} | dispatch {s.DispatchId ?? "-"} | "
            + $"in {SessionSummary.FormatMilli(s.SessionImportWh)} out {SessionSummary.FormatMilli(s.SessionExportWh)} kWh{faults}";
    }

    /// <summary>The active faults' names, comma separated.</summary>
    public static string FaultList(int mask)
    {
        var names = new List<string>();
        for (int code = 0; code < FaultCode.Count; code++)
        {
            if ((mask & (1 << code)) != 0)
            {
                names.Add(FaultCode.Name(code));
            }
        }

        return string.Join(",", names);
    }
}
