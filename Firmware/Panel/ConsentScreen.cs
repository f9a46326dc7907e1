using ChargerFirmware.Conditions;
using ChargerFirmware.Consent;
using ChargerFirmware.Drivers.Panel;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Panel
{
    /// <summary>
    /// The charger's consent screen: a fixed grid of <see cref="Width"/> columns by
    /// <see cref="Height"/> rows of text. While the driver is asked it shows the question, the
    /// vehicle id when known, the prices on offer now, the conditions that would apply (the price
    /// limits in force: the driver's within the charger's own ceiling and floor, which alone remain
    /// when the driver leaves prices to the aggregator), the seconds
    /// left and the buttons Allow / Deny / Conditions; once sharing, the conditions in force and a
    /// Stop sharing button. Touches are given in character cells (the display adapter divides pixels
    /// by the cell size). Rendering builds strings: call it on a display refresh, not per control tick.
    /// </summary>
    public sealed class ConsentScreen : ICellButtons
    {
        /// <summary>Columns of text.</summary>
        public const int Width = 32;

        /// <summary>Rows of text <see cref="Render"/> fills.</summary>
        public const int Height = 9;

        /// <summary>The row holding the buttons.</summary>
        public const int ButtonRow = 8;

        private const string AskButtons = "[Allow]  [Deny]  [Conditions]";
        private const string SharingButtons = "[Stop sharing]";

        private readonly ConsentSession _session;
        private readonly string _currency;

        /// <summary>A screen for <paramref name="session"/>, showing prices in <paramref name="currencyCode"/> (e.g. JPY).</summary>
        public ConsentScreen(ConsentSession session, string currencyCode)
        {
            _session = session;
            _currency = currencyCode;
        }

        /// <summary>The charger's highest buying price for any order, milli-currency per kWh (shown as the limit a delegating driver keeps).</summary>
        public int BuyPriceCeilingMilli { get; set; } = int.MaxValue;

        /// <summary>The charger's lowest selling price for any order, milli-currency per kWh.</summary>
        public int SellPriceFloorMilli { get; set; }

        /// <summary>
        /// Writes the <see cref="Height"/> rows the driver sees now into <paramref name="lines"/>, each
        /// exactly <see cref="Width"/> characters; the prices on offer are per kWh in milli-currency.
        /// </summary>
        public void Render(long nowMs, bool pricesValid, int buyPriceMilli, int sellPriceMilli, string[] lines)
        {
            int state = _session.State;
            ChargingConditions conditions = _session.Conditions;
            lines[0] = Title(state);
            if (state == ConsentStates.None)
            {
                for (int i = 1; i < Height; i++)
                {
                    lines[i] = "";
                }
            }
            else
            {
                lines[1] = _session.VehicleId.Length > 0 ? "Vehicle: " + _session.VehicleId : "Vehicle connected";
                lines[2] = pricesValid ? "Sell now: " + Price(sellPriceMilli) + " " + _currency + "/kWh" : "Prices: not available";
                lines[3] = pricesValid ? "Buy now:  " + Price(buyPriceMilli) + " " + _currency + "/kWh" : "";
                lines[4] = "Conditions: " + conditions.Name;
                // The limits that apply: delegating waives the driver's, never the charger's.
                int sellAtLeast = SellPriceFloorMilli;
                int buyAtMost = BuyPriceCeilingMilli;
                if (!conditions.Delegated)
                {
                    sellAtLeast = conditions.MinSellPriceMilli > sellAtLeast ? conditions.MinSellPriceMilli : sellAtLeast;
                    buyAtMost = conditions.MaxBuyPriceMilli < buyAtMost ? conditions.MaxBuyPriceMilli : buyAtMost;
                }

                lines[5] = "Keep " + Percent(conditions.KeptSocPermille) + " sell>=" + Price(sellAtLeast) + " buy<=" + Price(buyAtMost);
                lines[6] = "When: " + Windows(conditions.Windows);
                lines[7] = state == ConsentStates.Pending
                    ? "Answer in " + _session.RemainingSeconds(nowMs).ToString() + " s, else Deny"
                    : "Earnings: " + Settlement.Names.Name(_session.Settlement);
                lines[ButtonRow] = state == ConsentStates.Pending ? AskButtons : (state == ConsentStates.Granted ? SharingButtons : "");
            }

            for (int i = 0; i < Height; i++)
            {
                lines[i] = Fit(lines[i]);
            }
        }

        /// <summary>The button (a <see cref="PanelButtons"/> constant) under the character cell at <paramref name="row"/>, <paramref name="column"/>.</summary>
        public int ButtonAt(int row, int column)
        {
            if (row != ButtonRow || column < 0)
            {
                return PanelButtons.None;
            }

            if (_session.State == ConsentStates.Pending)
            {
                if (column <= 6)
                {
                    return PanelButtons.Allow;
                }

                if (column >= 9 && column <= 14)
                {
                    return PanelButtons.Deny;
                }

                return column >= 17 && column <= 28 ? PanelButtons.Conditions : PanelButtons.None;
            }

            return _session.State == ConsentStates.Granted && column < SharingButtons.Length ? PanelButtons.StopSharing : PanelButtons.None;
        }

        /// <summary>Acts on <paramref name="button"/>; returns the session's answer (a <see cref="ConsentResults"/> constant).</summary>
        public int Press(int button, long nowMs)
        {
            switch (button)
            {
                case PanelButtons.Allow:
                    return _session.AnswerFromPanel(nowMs, true);
                case PanelButtons.Deny:
                    return _session.AnswerFromPanel(nowMs, false);
                case PanelButtons.Conditions:
                    return _session.SelectNextPreset(nowMs);
                case PanelButtons.StopSharing:
                    return _session.StopSharing(nowMs);
                default:
                    return ConsentResults.NotAvailable;
            }
        }

        /// <summary>A touch at a character cell: presses the button there, if any; returns the button touched.</summary>
        public int Touch(int row, int column, long nowMs)
        {
            int button = ButtonAt(row, column);
            if (button != PanelButtons.None)
            {
                Press(button, nowMs);
            }

            return button;
        }

        private static string Title(int state)
        {
            switch (state)
            {
                case ConsentStates.Pending:
                    return "Share battery with aggregator?";
                case ConsentStates.Granted:
                    return "Sharing with aggregator";
                case ConsentStates.None:
                    return "No vehicle connected";
                default:
                    return "Charging only, not shared";
            }
        }

        // 25000 milli-currency -> "25.00"; a price may be negative on the spot market.
        private static string Price(int milli)
        {
            string sign = milli < 0 ? "-" : "";
            long magnitude = milli < 0 ? -(long)milli : milli;
            long hundredths = (magnitude % 1000) / 10;
            return sign + (magnitude / 1000).ToString() + (hundredths < 10 ? ".0" : ".") + hundredths.ToString();
        }

        private static string Percent(int permille)
        {
            return (permille / 10).ToString() + "%";
        }

        // The first window as "MTWTF-- 22:00-06:00" (Monday first), "+n" for more, or "always".
        private static string Windows(TimeWindows windows)
        {
            if (windows.Count == 0)
            {
                return "always";
            }

            const string Letters = "MTWTFSS";
            char[] days = new char[7];
            for (int i = 0; i < 7; i++)
            {
                // Monday is bit 1 ... Saturday bit 6, Sunday bit 0.
                int bit = i == 6 ? DayMasks.Sunday : 1 << (i + 1);
                days[i] = (windows.DayMask(0) & bit) != 0 ? Letters[i] : '-';
            }

            string text = new string(days) + " " + Clock(windows.StartMinute(0)) + "-" + Clock(windows.EndMinute(0));
            return windows.Count > 1 ? text + " +" + (windows.Count - 1).ToString() : text;
        }

        private static string Clock(int minuteOfDay)
        {
            int hours = minuteOfDay / 60;
            int minutes = minuteOfDay % 60;
            return (hours < 10 ? "0" : "") + hours.ToString() + (minutes < 10 ? ":0" : ":") + minutes.ToString();
        }

        private static string Fit(string line)
        {
            return line.Length > Width ? line.Substring(0, Width) : line.PadRight(Width, ' ');
        }
    }

    /// <summary>The consent screen's buttons (int constants with explicit names).</summary>
    public static class PanelButtons
    {
        /// <summary>No button.</summary>
        public const int None = 0;

        /// <summary>Allow the aggregator to use the car within the conditions shown.</summary>
        public const int Allow = 1;

        /// <summary>Refuse: plain charging.</summary>
        public const int Deny = 2;

        /// <summary>Offer the next preset of conditions.</summary>
        public const int Conditions = 3;

        /// <summary>Stop sharing now: plain charging until unplugged.</summary>
        public const int StopSharing = 4;

        /// <summary>The name: none, allow, deny, conditions, stop-sharing.</summary>
        public static string Name(int button)
        {
            switch (button)
            {
                case Allow:
                    return "allow";
                case Deny:
                    return "deny";
                case Conditions:
                    return "conditions";
                case StopSharing:
                    return "stop-sharing";
                default:
                    return "none";
            }
        }
    }
}
