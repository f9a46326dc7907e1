using ChargerFirmware.Drivers.Panel;
using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Panel
{
    /// <summary>The plugged car's history on this charger: today, this month or chosen dates, its sessions and the balance by settlement.</summary>
    public sealed partial class DriverPanel
    {
        private const int SessionsPerPage = 3;

        private int _historyFirst;

        private void OpenHistory(int mode, long nowMs)
        {
            long today = PanelText.LocalDay(_facts.UtcMs, _facts.UtcOffsetMinutes);
            _history.Mode = mode;
            if (mode == HistoryView.Today)
            {
                _history.FirstDay = today;
                _history.LastDay = today;
            }
            else if (mode == HistoryView.Month)
            {
                int year;
                int month;
                int day;
                Rfc3339.CivilFromDays(today, out year, out month, out day);
                _history.FirstDay = today - (day - 1);
                _history.LastDay = today;
            }
            else if (!_history.Computed || _history.Mode != HistoryView.Dates)
            {
                _history.FirstDay = today - 6;
                _history.LastDay = today;
            }

            _historyFirst = 0;
            _page = mode == HistoryView.Dates ? PanelPages.HistoryDates : PanelPages.History;
            if (_page == PanelPages.History)
            {
                ComputeHistory();
            }
        }

        private void ComputeHistory()
        {
            if (_journal != null && _facts.VehicleId.Length > 0)
            {
                _history.Compute(_journal, _facts.VehicleId,
                    PanelText.DayStartUtcMs(_history.FirstDay, _facts.UtcOffsetMinutes),
                    PanelText.DayStartUtcMs(_history.LastDay + 1, _facts.UtcOffsetMinutes));
            }
        }

        private void DrawHistory()
        {
            string title = _history.Complete || _facts.VehicleId.Length == 0 ? "History of this car" : "History (recent part)";
            Title(title, TitleClock(), PanelStyles.Title);
            PeriodButton(0, HistoryView.Today, PanelKeys.Today, "Today");
            PeriodButton(1, HistoryView.Month, PanelKeys.Month, "This month");
            PeriodButton(2, HistoryView.Dates, PanelKeys.Dates, "Dates...");
            string currency = _facts.Currency;
            if (_facts.VehicleId.Length == 0 || _journal == null)
            {
                Wrap(4, Left, Right - Left, "This car gave no id, so its past visits cannot be found here. This visit so far:", 3);
                _frame.Put(7, Left, "In " + PanelText.Kwh(_facts.ImportWh) + "  Out " + PanelText.Kwh(_facts.ExportWh));
                _frame.Put(8, Left, "Paid " + Money(_facts.PurchasesMilli) + "  Earned " + Money(_facts.EarningsMilli));
                BarButton(0, 1, PanelStyles.Primary, PanelKeys.Back, "Back", null);
                return;
            }

            string period = _history.FirstDay == _history.LastDay ? PanelText.Date(_history.FirstDay)
                : PanelText.Date(_history.FirstDay) + " to " + PanelText.Date(_history.LastDay);
            _frame.Put(4, Left, period);
            _frame.PutRight(4, Right, _history.Sessions.ToString() + (_history.Sessions == 1 ? " visit" : " visits"));
            _frame.Put(5, Left, "In " + PanelText.Kwh(_history.ImportWh) + "   Out " + PanelText.Kwh(_history.ExportWh));
            if (_history.Sessions == 0)
            {
                _frame.Put(6, Left, "No records in this period.");
            }

            for (int line = 0; line < SessionsPerPage && _historyFirst + line < _history.Listed; line++)
            {
                int age = _historyFirst + line;
                long day = PanelText.LocalDay(_history.SessionStartUtcMs(age), _facts.UtcOffsetMinutes);
                long net = _history.SessionNetMilli(age);
                string text = PanelText.ShortDate(day) + " " + _history.SessionNumber(age)
                    + " +" + PanelText.Fixed(_history.SessionImportWh(age) / 100, 1)
                    + " -" + PanelText.Fixed(_history.SessionExportWh(age) / 100, 1) + " kWh";
                _frame.Put(6 + line, Left, text);
                _frame.PutRight(6 + line, Right, PanelText.SignedMinor(PanelText.RoundToMinor(net, currency), currency));
            }

            _frame.Put(9, Left, BalanceLine());
            bool older = _historyFirst + SessionsPerPage < _history.Listed;
            BarButton(0, 3, _historyFirst > 0 ? PanelStyles.Neutral : PanelStyles.Muted, _historyFirst > 0 ? PanelKeys.Newer : NoButton, "< Newer", null);
            BarButton(1, 3, older ? PanelStyles.Neutral : PanelStyles.Muted, older ? PanelKeys.Older : NoButton, "Older >", null);
            BarButton(2, 3, PanelStyles.Primary, PanelKeys.Back, "Back", null);
        }

        private void PeriodButton(int index, int mode, int key, string label)
        {
            int left = index * 13;
            int width = index == 2 ? 14 : 13;
            Button(1, left, 3, width, _history.Mode == mode ? PanelStyles.Selected : PanelStyles.Neutral, key, label, null);
        }

        // "Net: offset -126  points +20 JPY" over the settlements used in the period.
        private string BalanceLine()
        {
            string currency = _facts.Currency;
            string text = "Net:";
            bool any = false;
            for (int s = Protocol.Messages.Settlement.Offset; s <= Protocol.Messages.Settlement.Payout; s++)
            {
                long purchases = _history.PurchasesMilli(s);
                long earnings = _history.EarningsMilli(s);
                if (purchases != 0 || earnings != 0)
                {
                    long net = PanelText.RoundToMinor(earnings, currency) - PanelText.RoundToMinor(purchases, currency);
                    text = text + " " + Settlement(s) + " " + PanelText.SignedMinor(net, currency);
                    any = true;
                }
            }

            if (!any)
            {
                return "Net: 0 " + currency;
            }

            string all = PanelText.SignedMinor(PanelText.RoundToMinor(TotalEarnings(), currency) - PanelText.RoundToMinor(TotalPurchases(), currency), currency);
            return Fits(text + " " + currency, text.Substring(5), "Net: " + all + " " + currency);
        }

        private long TotalEarnings()
        {
            long sum = 0;
            for (int s = Protocol.Messages.Settlement.Offset; s <= Protocol.Messages.Settlement.Payout; s++)
            {
                sum += _history.EarningsMilli(s);
            }

            return sum;
        }

        private long TotalPurchases()
        {
            long sum = 0;
            for (int s = Protocol.Messages.Settlement.Offset; s <= Protocol.Messages.Settlement.Payout; s++)
            {
                sum += _history.PurchasesMilli(s);
            }

            return sum;
        }

        private void DrawHistoryDates()
        {
            Title("History: choose the days", TitleClock(), PanelStyles.Title);
            DateStepper(1, "From", _history.FirstDay, PanelKeys.FromMonthMinus);
            DateStepper(4, "To", _history.LastDay, PanelKeys.ToMonthMinus);
            long days = _history.LastDay - _history.FirstDay + 1;
            _frame.Put(8, Left, days.ToString() + (days == 1 ? " day" : " days") + ", local time.");
            BarButton(0, 2, PanelStyles.Primary, PanelKeys.Show, "Show", null);
            BarButton(1, 2, PanelStyles.Neutral, PanelKeys.Back, "Back", null);
        }

        // "From" [-M][-D] 2027-03-01 [+D][+M]; the four keys follow firstKey in that order.
        private void DateStepper(int top, string label, long day, int firstKey)
        {
            _frame.Put(top + 1, Left, label);
            Button(top, 5, 3, 6, PanelStyles.Neutral, firstKey, "-1", "mon");
            Button(top, 11, 3, 6, PanelStyles.Neutral, firstKey + 1, "-1", "day");
            _frame.PutCentred(top + 1, 17, 11, PanelText.Date(day));
            Button(top, 28, 3, 6, PanelStyles.Neutral, firstKey + 2, "+1", "day");
            Button(top, 34, 3, 6, PanelStyles.Neutral, firstKey + 3, "+1", "mon");
        }

        private void PressHistory(int key, long nowMs)
        {
            long today = PanelText.LocalDay(_facts.UtcMs, _facts.UtcOffsetMinutes);
            switch (key)
            {
                case PanelKeys.Today:
                    OpenHistory(HistoryView.Today, nowMs);
                    break;
                case PanelKeys.Month:
                    OpenHistory(HistoryView.Month, nowMs);
                    break;
                case PanelKeys.Dates:
                    OpenHistory(HistoryView.Dates, nowMs);
                    break;
                case PanelKeys.Newer:
                    _historyFirst = _historyFirst >= SessionsPerPage ? _historyFirst - SessionsPerPage : 0;
                    break;
                case PanelKeys.Older:
                    if (_historyFirst + SessionsPerPage < _history.Listed)
                    {
                        _historyFirst += SessionsPerPage;
                    }

                    break;
                case PanelKeys.Show:
                    _history.Mode = HistoryView.Dates;
                    _historyFirst = 0;
                    _page = PanelPages.History;
                    ComputeHistory();
                    break;
                case PanelKeys.Back:
                    _page = _page == PanelPages.HistoryDates ? PanelPages.History : PanelPages.Live;
                    if (_page == PanelPages.History && !_history.Computed)
                    {
                        OpenHistory(HistoryView.Today, nowMs);
                    }

                    break;
                default:
                    MoveDates(key, today);
                    break;
            }
        }

        // Day and month steps; the range stays in order and never reaches past today.
        private void MoveDates(int key, long today)
        {
            long from = _history.FirstDay;
            long to = _history.LastDay;
            switch (key)
            {
                case PanelKeys.FromMonthMinus:
                    from = AddMonths(from, -1);
                    break;
                case PanelKeys.FromDayMinus:
                    from--;
                    break;
                case PanelKeys.FromDayPlus:
                    from++;
                    break;
                case PanelKeys.FromMonthPlus:
                    from = AddMonths(from, 1);
                    break;
                case PanelKeys.ToMonthMinus:
                    to = AddMonths(to, -1);
                    break;
                case PanelKeys.ToDayMinus:
                    to--;
                    break;
                case PanelKeys.ToDayPlus:
                    to++;
                    break;
                case PanelKeys.ToMonthPlus:
                    to = AddMonths(to, 1);
                    break;
                default:
                    return;
            }

            to = to > today ? today : to;
            from = from > to ? to : from;
            _history.FirstDay = from;
            _history.LastDay = to;
        }

        // The same day of the month n months away (the month's last day when it has fewer days).
        private static long AddMonths(long day, int months)
        {
            int year;
            int month;
            int dayOfMonth;
            Rfc3339.CivilFromDays(day, out year, out month, out dayOfMonth);
            int index = (year * 12) + (month - 1) + months;
            year = index / 12;
            month = (index % 12) + 1;
            int last = Rfc3339.DaysInMonth(year, month);
            return Rfc3339.DaysFromCivil(year, month, dayOfMonth > last ? last : dayOfMonth);
        }
    }
}
