using ChargerFirmware.Drivers.Panel;

namespace ChargerFirmware.Panel
{
    /// <summary>With no car: how to start (or out of service); after unplug: the receipt, for a minute or until touched.</summary>
    public sealed partial class DriverPanel
    {
        private void DrawIdle()
        {
            if (OutOfService())
            {
                Title("Out of service", TitleClock(), PanelStyles.AlertTitle);
                _frame.SetLarge(2);
                _frame.Put(2, Left, "Not available");
                Wrap(5, Left, Right - Left, _facts.Disabled
                    ? "A technician has switched this charger off. Please use another one."
                    : "This charger found a fault and keeps its power off. Please use another one.", 3);
                return;
            }

            Title("EV charger", TitleClock(), PanelStyles.Title);
            _frame.SetLarge(2);
            _frame.Put(2, Left, "Plug in to start");
            Wrap(5, Left, Right - Left, "While it stands here, your car can help the grid. You choose if, when and at what price; you can stop at any time.", 4);
            _frame.Put(9, Left, PricesNow());
        }

        private void DrawReceipt(long nowMs)
        {
            int offset = _facts.UtcOffsetMinutes;
            long day = PanelText.LocalDay(_facts.ReceiptStartUtcMs, offset);
            _frame.Put(1, Left, PanelText.Date(day) + "  " + PanelText.Clock(_facts.ReceiptStartUtcMs, offset) + "-" + PanelText.Clock(_facts.ReceiptEndUtcMs, offset));
            _frame.PutRight(1, Right, "No. " + PanelText.ShortSession(_facts.ReceiptSessionId));
            _frame.Put(2, Left, _facts.ReceiptVehicleId.Length > 0 ? "Car " + ShortId(_facts.ReceiptVehicleId, 34) : "Car without id");
            _frame.Put(3, Left, "Charged    " + PanelText.Kwh(_facts.ReceiptImportWh));
            _frame.PutRight(3, Right, "Paid   " + Money(_facts.ReceiptPurchasesMilli));
            _frame.Put(4, Left, "Discharged " + PanelText.Kwh(_facts.ReceiptExportWh));
            _frame.PutRight(4, Right, "Earned " + Money(_facts.ReceiptEarningsMilli));
            string currency = _facts.Currency;
            long net = PanelText.RoundToMinor(_facts.ReceiptEarningsMilli, currency) - PanelText.RoundToMinor(_facts.ReceiptPurchasesMilli, currency);
            _frame.SetLarge(5);
            _frame.Put(5, Left, "Net " + PanelText.SignedMinor(net, currency) + " " + currency);
            _frame.Put(7, Left, "Earnings settled as " + Settlement(_facts.ReceiptSettlement) + ".");
            _frame.Put(8, Left, "Amounts rounded to " + PanelText.Minor(1, currency) + " " + currency + ".");
            long left = (_receiptUntilMs - nowMs + 999) / 1000;
            _frame.AddBox(0, 0, BarTop, Columns, PanelStyles.Normal, PanelKeys.Dismiss);
            Title("Receipt - thank you", TitleClock(), PanelStyles.Title);
            _frame.AddBox(9, 0, 1, Columns, PanelStyles.Muted, NoButton);
            _frame.Put(9, Left, "Clears in " + (left < 0 ? 0 : left).ToString() + " s, or touch anywhere.");
            BarButton(0, 1, PanelStyles.Primary, PanelKeys.Dismiss, "Done", null);
        }
    }
}
