using ChargerFirmware.Conditions;
using ChargerFirmware.Drivers.Panel;

namespace ChargerFirmware.Panel
{
    /// <summary>Drawing helpers shared by the pages: title bar, buttons, wrapped text, the conditions in words.</summary>
    public sealed partial class DriverPanel
    {
        private static readonly string[] DayShort = { "Su", "Mo", "Tu", "We", "Th", "Fr", "Sa" };
        private static readonly string[] DayLong = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

        private void Title(string left, string? right, int style)
        {
            _frame.AddBox(0, 0, 1, Columns, style, NoButton);
            _frame.Put(0, 1, left);
            if (right != null && right.Length > 0)
            {
                _frame.PutRight(0, Right, right);
            }
        }

        // The clock at the right of the title, when the charger knows the time.
        private string TitleClock()
        {
            return _facts.ClockSynced ? PanelText.Clock(_facts.UtcMs, _facts.UtcOffsetMinutes) : string.Empty;
        }

        // A button, usually three rows tall: one label line on the middle row, or two lines drawn
        // half a row lower from the top row, so either sits in the middle.
        private void Button(int top, int left, int height, int width, int style, int key, string label, string? second)
        {
            bool twoLines = second != null && second.Length > 0;
            bool shift = twoLines && height % 2 == 1;
            _frame.AddBox(top, left, height, width, style, key, shift);
            int row = twoLines ? top + ((height - 2) / 2) : top + ((height - 1) / 2);
            _frame.PutCentred(row, left, width, label);
            if (twoLines)
            {
                _frame.PutCentred(row + 1, left, width, second!);
            }
        }

        // The bottom bar: buttons side by side over the full width.
        private void BarButton(int index, int count, int style, int key, string label, string? second)
        {
            int width = Columns / count;
            int left = index * width;
            if (index == count - 1)
            {
                width = Columns - left;
            }

            Button(BarTop, left, BarHeight, width, style, key, label, second);
        }

        // Writes text over at most maxRows rows of width columns, breaking at spaces; returns the rows used.
        private int Wrap(int row, int left, int width, string text, int maxRows)
        {
            int at = 0;
            int used = 0;
            while (at < text.Length && used < maxRows)
            {
                int end = at + width;
                if (end >= text.Length)
                {
                    end = text.Length;
                }
                else
                {
                    int space = end;
                    while (space > at && text[space] != ' ')
                    {
                        space--;
                    }

                    if (space > at)
                    {
                        end = space;
                    }
                }

                _frame.Put(row + used, left, text.Substring(at, end - at));
                used++;
                at = end;
                while (at < text.Length && text[at] == ' ')
                {
                    at++;
                }
            }

            if (at < text.Length)
            {
                _frame.NoteClipped();
            }

            return used;
        }

        private void Note(int row)
        {
            if (_note.Length > 0)
            {
                _frame.AddBox(row, 0, 1, Columns, PanelStyles.Good, NoButton);
                _frame.Put(row, 1, _note);
            }
        }

        // A label at column 19 and its amount flush right: amounts line up under each other.
        private void MoneyLine(int row, string label, string amount)
        {
            _frame.Put(row, 19, label);
            _frame.PutRight(row, Right, amount);
        }

        private string Price(long milli)
        {
            return PanelText.Price(milli, _facts.Currency);
        }

        private string Money(long milli)
        {
            return PanelText.Money(milli, _facts.Currency) + " " + _facts.Currency;
        }

        private string PricesNow()
        {
            if (!_facts.PricesValid)
            {
                return "Prices now: none posted";
            }

            string sell = Price(_facts.SellPriceMilli);
            string buy = Price(_facts.BuyPriceMilli);
            return Fits("Now: sell " + sell + "  buy " + buy + " " + _facts.Currency + "/kWh", "Sell " + sell + " buy " + buy + " " + _facts.Currency + "/kWh", "Sell " + sell + " buy " + buy);
        }

        // The first text that fits a body row: long variants for usual values, shorter ones for extremes.
        private static string Fits(string text, string shorter, string shortest)
        {
            return text.Length <= Right - Left ? text : (shorter.Length <= Right - Left ? shorter : shortest);
        }

        // "Keep 50 %  Sell >= 25.00  Buy <= 15.00", or the delegated form.
        private string LimitsLine(ChargingConditions c)
        {
            string keep = "Keep " + PanelText.Percent(c.KeptSocPermille);
            if (c.Delegated)
            {
                return keep + "   prices: aggregator decides";
            }

            return keep + "  Sell >= " + Price(c.MinSellPriceMilli) + "  Buy <= " + Price(c.MaxBuyPriceMilli);
        }

        // "When: any time" or "When: Mon-Fri 22:00-06:00 (+1)".
        private static string WhenLine(ChargingConditions c)
        {
            TimeWindows w = c.Windows;
            if (w.Count == 0)
            {
                return "When: any time";
            }

            string text = "When: " + Days(w.DayMask(0)) + " " + PanelText.TimeOfDay(w.StartMinute(0)) + "-" + PanelText.TimeOfDay(w.EndMinute(0));
            return w.Count > 1 ? text + " (+" + (w.Count - 1).ToString() + ")" : text;
        }

        private static string Settlement(int settlement)
        {
            switch (settlement)
            {
                case Protocol.Messages.Settlement.Points:
                    return "points";
                case Protocol.Messages.Settlement.Payout:
                    return "payout";
                default:
                    return "offset";
            }
        }

        // Days as a driver reads them, Monday first: "daily", "Mon-Fri", "Sat-Sun", "Mon, Wed, Fri".
        private static string Days(int mask)
        {
            if (mask == DayMasks.EveryDay)
            {
                return "daily";
            }

            // Monday-first order: Mon=1 .. Sat=6, Sun=0.
            int first = -1;
            int last = -1;
            int count = 0;
            bool contiguous = true;
            for (int i = 0; i < 7; i++)
            {
                int day = (i + 1) % 7;
                if ((mask & (1 << day)) != 0)
                {
                    if (first < 0)
                    {
                        first = i;
                    }
                    else if (last != i - 1)
                    {
                        contiguous = false;
                    }

                    last = i;
                    count++;
                }
            }

            if (count == 0)
            {
                return "no day";
            }

            if (contiguous && count >= 2)
            {
                return DayLong[(first + 1) % 7] + "-" + DayLong[(last + 1) % 7];
            }

            string text = string.Empty;
            for (int i = 0; i < 7; i++)
            {
                int day = (i + 1) % 7;
                if ((mask & (1 << day)) != 0)
                {
                    text = text.Length == 0 ? DayLong[day] : text + "," + DayShort[day];
                }
            }

            return text;
        }

        // What Allow does to this car, in one sentence (wrapped on screen): the kept charge first,
        // then what the aggregator may do at which prices, and when.
        private string AllowSentence(ChargingConditions c, string verb)
        {
            if (!_facts.SocKnown)
            {
                return verb + ": this car does not report its charge, so it just charges to full; the aggregator cannot use it.";
            }

            string kept = PanelText.Percent(c.KeptSocPermille);
            string first = _facts.SocPermille < c.KeptSocPermille ? "charges to " + kept + ", then" : "keeps at least " + kept + ";";
            string what;
            if (c.Delegated)
            {
                what = " the aggregator may charge or discharge it between " + kept + " and full, at its prices" + OwnLimits() + ".";
            }
            else
            {
                what = " the aggregator may charge it at up to " + Price(c.MaxBuyPriceMilli) + " or discharge it at "
                    + Price(c.MinSellPriceMilli) + " or more, between " + kept + " and full.";
            }

            string when = c.Windows.Count == 0 ? string.Empty : " Only " + WhenLine(c).Substring(6) + ".";
            return verb + ": " + first + what + when;
        }

        // " (charger: buy <= 40.00, sell >= 10.00)" when the charger sets its own limits.
        private string OwnLimits()
        {
            int buy = _facts.OwnMaxBuyPriceMilli;
            int sell = _facts.OwnMinSellPriceMilli;
            if (buy < 0 && sell < 0)
            {
                return string.Empty;
            }

            string text = " (charger:";
            if (buy >= 0)
            {
                text = text + " buy <= " + Price(buy);
            }

            if (sell >= 0)
            {
                text = text + (buy >= 0 ? "," : string.Empty) + " sell >= " + Price(sell);
            }

            return text + ")";
        }
    }
}
