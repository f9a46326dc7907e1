using System;
using System.Net.NetworkInformation;
using System.Threading;
using nanoFramework.Networking;

namespace ChargerFirmware.Device.Network
{
    /// <summary>
    /// Joins the configured Wi-Fi network (DHCP, automatic reconnection by the ESP32's Wi-Fi driver) and
    /// starts SNTP, which sets the wall clock; <see cref="Drivers.Device.Clock.DeviceClock"/> reports it
    /// synchronised once the time is plausible.
    /// </summary>
    public sealed class WifiLink
    {
        private readonly string _ssid;
        private readonly string _password;
        private readonly string _timeServer1;
        private readonly string _timeServer2;
        private string _lastError = string.Empty;

        /// <summary>A link to <paramref name="ssid"/> taking time from <paramref name="timeServer1"/> and <paramref name="timeServer2"/>.</summary>
        public WifiLink(string ssid, string password, string timeServer1, string timeServer2)
        {
            _ssid = ssid;
            _password = password;
            _timeServer1 = timeServer1;
            _timeServer2 = timeServer2;
        }

        /// <summary>Why the last <see cref="Connect"/> failed; never holds the password.</summary>
        public string LastError
        {
            get { return _lastError; }
        }

        /// <summary>True while the station has an IPv4 address.</summary>
        public bool IsConnected
        {
            get
            {
                NetworkInterface[] interfaces = NetworkInterface.GetAllNetworkInterfaces();
                for (int i = 0; i < interfaces.Length; i++)
                {
                    if (interfaces[i].NetworkInterfaceType == NetworkInterfaceType.Wireless80211)
                    {
                        string address = interfaces[i].IPv4Address;
                        return address != null && address.Length > 0 && address != "0.0.0.0";
                    }
                }

                return false;
            }
        }

        /// <summary>Joins the network, waiting at most <paramref name="timeoutMs"/>, then starts SNTP; false with <see cref="LastError"/> on failure.</summary>
        public bool Connect(int timeoutMs)
        {
            try
            {
                CancellationTokenSource timeout = new CancellationTokenSource(timeoutMs);
                if (!WifiNetworkHelper.ConnectDhcp(_ssid, _password, requiresDateTime: false, token: timeout.Token))
                {
                    _lastError = "Wi-Fi join failed (status " + ((int)WifiNetworkHelper.Status).ToString() + ")";
                    return false;
                }

                Sntp.Server1 = _timeServer1;
                Sntp.Server2 = _timeServer2;
                Sntp.Start();
                Sntp.UpdateNow();
                _lastError = string.Empty;
                return true;
            }
            catch (Exception ex)
            {
                _lastError = "Wi-Fi join failed: " + ex.Message;
                return false;
            }
        }
    }
}
