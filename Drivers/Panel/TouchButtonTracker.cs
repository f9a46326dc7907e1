using System;

namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// Turns polled touches into button taps: a button counts when the finger lands on it and lifts
    /// without having slid off it; a contact that flickers open for fewer than the release polls is
    /// still the same press, so a shaky finger cannot tap twice.
    /// </summary>
    public sealed class TouchButtonTracker
    {
        /// <summary>No button: a cell outside every button, or no tap (the consent screen's PanelButtons.None).</summary>
        public const int NoButton = 0;

        private readonly int _releasePolls;
        private bool _pressed;
        private int _button = NoButton;
        private int _releasedPolls;

        /// <summary>A tracker that needs <paramref name="releasePolls"/> untouched polls in a row to see a release.</summary>
        public TouchButtonTracker(int releasePolls)
        {
            if (releasePolls < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(releasePolls));
            }

            _releasePolls = releasePolls;
        }

        /// <summary>
        /// Feeds one poll: whether the panel is touched and, if so, the button under the finger
        /// (<see cref="NoButton"/> for none). Returns the id of a completed tap, or
        /// <see cref="NoButton"/>.
        /// </summary>
        public int Update(bool touching, int buttonUnderFinger)
        {
            if (touching)
            {
                _releasedPolls = 0;
                if (!_pressed)
                {
                    _pressed = true;
                    _button = buttonUnderFinger;
                }
                else if (buttonUnderFinger != _button)
                {
                    _button = NoButton;
                }

                return NoButton;
            }

            if (!_pressed)
            {
                return NoButton;
            }

            _releasedPolls++;
            if (_releasedPolls < _releasePolls)
            {
                return NoButton;
            }

            _pressed = false;
            _releasedPolls = 0;
            int tapped = _button;
            _button = NoButton;
            return tapped;
        }
    }
}
