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
        private readonly int _releasePolls;
        private bool _pressed;
        private int _button = ButtonLayout.NoButton;
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
        /// (<see cref="ButtonLayout.NoButton"/> for none). Returns the id of a completed tap, or
        /// <see cref="ButtonLayout.NoButton"/>.
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
                    _button = ButtonLayout.NoButton;
                }

                return ButtonLayout.NoButton;
            }

            if (!_pressed)
            {
                return ButtonLayout.NoButton;
            }

            _releasedPolls++;
            if (_releasedPolls < _releasePolls)
            {
                return ButtonLayout.NoButton;
            }

            _pressed = false;
            _releasedPolls = 0;
            int tapped = _button;
            _button = ButtonLayout.NoButton;
            return tapped;
        }
    }
}
