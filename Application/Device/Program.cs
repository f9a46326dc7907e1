using System.Threading;
using ChargerFirmware.App;
using ChargerFirmware.Config;
using ChargerFirmware.Control;
using ChargerFirmware.Device.Mqtt;
using ChargerFirmware.Device.Network;
using ChargerFirmware.Drivers;
using ChargerFirmware.Drivers.Device.Board;
using ChargerFirmware.Drivers.Device.Platform;
using ChargerFirmware.Drivers.Modbus;
using ChargerFirmware.Drivers.Modem;
using ChargerFirmware.Drivers.SunSpec;

namespace ChargerFirmware.Device
{
    /// <summary>
    /// The device's entry point: opens the reference board, puts the converter and the ISO 15118
    /// module on the RS-485 bus, composes the charger, joins Wi-Fi (time from SNTP), starts every
    /// worker, and then watches them for ever, restarting a dead one. Every rule lives in the
    /// portable code; this file only wires parts together.
    /// </summary>
    public static class Program
    {
        private const int WatchPeriodMs = 1000;
        private const int WifiTimeoutMs = 30000;

        /// <summary>Starts the charger.</summary>
        public static void Main()
        {
            ReferenceBoardDrivers board = new ReferenceBoardDrivers();

            // The bus's timing and the poll periods are settings (modbus-*, converter-poll-ms,
            // modem-poll-ms): the charger's configuration takes these objects over and fills them.
            ModbusTiming timing = new ModbusTiming();
            SunSpecConverterOptions converterOptions = new SunSpecConverterOptions();
            ModemModuleOptions modemOptions = new ModemModuleOptions();
            ModbusMaster bus = new ModbusMaster(board.Rs485, ReferenceBoard.Rs485BaudRate, timing);
            SunSpecConverter converter = new SunSpecConverter(bus, converterOptions);
            ModemModule modem = new ModemModule(bus, modemOptions);

            ChargerHardware hardware = new ChargerHardware();
            hardware.Clock = board.Clock;
            hardware.PilotSampler = board.PilotSampler;
            hardware.PilotPwm = board.PilotPwm;
            hardware.Contactor = board.Contactor;
            hardware.Rcd = board.Rcd;
            hardware.Converter = converter;
            hardware.Modem = modem;
            hardware.Temperature = board.Temperature;
            hardware.Proximity = board.Proximity;
            hardware.Entropy = board.Entropy;
            hardware.Storage = board.Storage;
            hardware.ServiceButton = board.ServiceButton;
            hardware.Polled = new IPolled[] { converter, modem };
            hardware.FieldBus = timing;
            hardware.ConverterBus = converterOptions;
            hardware.ModemBus = modemOptions;

            ChargerApp app = new ChargerApp(hardware, new M2MqttTransport(), board.Console, new DeviceSystemControl(), board.Panel);
            ChargerConfig config = app.Config;

            // The charger works without a network (plain charging, the console, the panel); the
            // link keeps trying by itself once Wi-Fi comes up.
            WifiLink wifi = new WifiLink(config.WifiSsid, config.WifiPassword, config.TimeServer, config.TimeServer);
            if (config.WifiSsid.Length > 0)
            {
                wifi.Connect(WifiTimeoutMs);
            }

            app.Start();
            while (true)
            {
                Thread.Sleep(WatchPeriodMs);
                app.WatchWorkers();
                board.StatusLed.Toggle();
                if (config.WifiSsid.Length > 0 && !wifi.IsConnected)
                {
                    wifi.Connect(WifiTimeoutMs);
                }
            }
        }
    }
}
