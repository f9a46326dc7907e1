namespace ChargerFirmware.Protocol
{
    /// <summary>
    /// Every topic string of one charger, built once at start from a prefix pattern (default
    /// "chargers/{chargerId}") and the charger id, so publishing never builds a string; and the
    /// classification of an incoming topic to its <see cref="MessageKind"/>.
    /// </summary>
    public sealed class Topics
    {
        /// <summary>The placeholder in a prefix pattern that the charger id replaces.</summary>
        public const string ChargerIdPlaceholder = "{chargerId}";

        /// <summary>The prefix pattern used unless configured otherwise.</summary>
        public const string DefaultPrefix = "chargers/" + ChargerIdPlaceholder;

        private readonly string[] _byKind = new string[MessageKind.Count];

        /// <summary>
        /// Builds the topics. <paramref name="chargerId"/>: 1..64 of A-Z a-z 0-9 . _ : - ;
        /// <paramref name="prefix"/>: MQTT topic levels without wildcards, empty levels, leading or
        /// trailing '/' or a leading '$'. Throws <see cref="System.ArgumentException"/> otherwise.
        /// </summary>
        public Topics(string prefix, string chargerId)
        {
            if (!IsValidChargerId(chargerId))
            {
                throw new System.ArgumentException("charger id must be 1..64 of A-Z a-z 0-9 . _ : -", nameof(chargerId));
            }

            string? root = prefix == null ? null : Substitute(prefix, chargerId);
            if (root == null || !IsValidPrefix(root))
            {
                throw new System.ArgumentException("prefix must be non-empty MQTT topic levels without wildcards", nameof(prefix));
            }

            ChargerId = chargerId;
            Root = root;
            _byKind[MessageKind.Availability] = root + "/availability";
            _byKind[MessageKind.Status] = root + "/status";
            _byKind[MessageKind.Event] = root + "/events";
            _byKind[MessageKind.ConsentRequest] = root + "/consent/request";
            _byKind[MessageKind.ConsentResponse] = root + "/consent/response";
            _byKind[MessageKind.Dispatch] = root + "/dispatch";
            _byKind[MessageKind.DispatchCancel] = root + "/dispatch/cancel";
            _byKind[MessageKind.DispatchAck] = root + "/dispatch/ack";
            _byKind[MessageKind.Prices] = root + "/prices";
            _byKind[MessageKind.Telemetry] = root + "/telemetry";
            _byKind[MessageKind.Ledger] = root + "/ledger";
            _byKind[MessageKind.LedgerAck] = root + "/ledger/ack";
        }

        /// <summary>The charger id the topics were built for.</summary>
        public string ChargerId { get; }

        /// <summary>The prefix with the charger id in place, e.g. "chargers/ev-17".</summary>
        public string Root { get; }

        /// <summary>…/availability, also the Last Will topic.</summary>
        public string Availability
        {
            get { return _byKind[MessageKind.Availability]; }
        }

        /// <summary>The topic of <paramref name="kind"/> (a <see cref="MessageKind"/> constant), or null for <see cref="MessageKind.Unknown"/> or out of range.</summary>
        public string? ForKind(int kind)
        {
            return kind > MessageKind.Unknown && kind < MessageKind.Count ? _byKind[kind] : null;
        }

        /// <summary>The <see cref="MessageKind"/> of <paramref name="topic"/>, <see cref="MessageKind.Unknown"/> when it is none of ours. Allocates nothing.</summary>
        public int Classify(string? topic)
        {
            for (int kind = 1; kind < MessageKind.Count; kind++)
            {
                if (_byKind[kind] == topic)
                {
                    return kind;
                }
            }

            return MessageKind.Unknown;
        }

        private static string Substitute(string prefix, string chargerId)
        {
            string result = prefix;
            int at = result.IndexOf(ChargerIdPlaceholder);
            while (at >= 0)
            {
                result = result.Substring(0, at) + chargerId + result.Substring(at + ChargerIdPlaceholder.Length);
                at = result.IndexOf(ChargerIdPlaceholder, at + chargerId.Length);
            }

            return result;
        }

        private static bool IsValidChargerId(string chargerId)
        {
            if (chargerId == null || chargerId.Length < 1 || chargerId.Length > 64)
            {
                return false;
            }

            for (int i = 0; i < chargerId.Length; i++)
            {
                char c = chargerId[i];
                bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
                if (!allowed)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsValidPrefix(string prefix)
        {
            if (prefix.Length == 0 || prefix[0] == '/' || prefix[0] == '$' || prefix[prefix.Length - 1] == '/')
            {
                return false;
            }

            for (int i = 0; i < prefix.Length; i++)
            {
                char c = prefix[i];
                if (c == '+' || c == '#' || c == '\0' || (c == '/' && prefix[i - 1] == '/'))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
