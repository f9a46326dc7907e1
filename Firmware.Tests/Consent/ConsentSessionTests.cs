using ChargerFirmware.Conditions;
using ChargerFirmware.Consent;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Tests.Conditions;
using ChargerFirmware.VirtualHardware;
using Xunit;

namespace ChargerFirmware.Tests.Consent;

public class ConsentSessionTests
{
    private readonly ManualClock _clock = new();
    private readonly ConsentOptions _options = new();
    private readonly PresetStore _presets = new(new FakeStorage(), PresetStore.DefaultFileName, Settlement.Offset);
    private readonly ConsentSession _session;

    public ConsentSessionTests()
    {
        _session = new ConsentSession(new CryptoEntropy(), _presets, _options);
    }

    private long Now => _clock.MonotonicMs;

    private ConsentSession Opened(string vehicle = "JN1-TEST-0001")
    {
        _session.Open(Now, vehicle);
        return _session;
    }

    private int Remote(bool allow, string preset = "", int settlement = Settlement.Unspecified) =>
        _session.AnswerRemote(Now, _session.SessionId, _session.Nonce, allow, preset, settlement);

    [Fact]
    public void Opening_asks_the_driver_with_a_fresh_id_and_nonce_and_the_default_conditions()
    {
        var session = Opened();
        Assert.Equal(ConsentStates.Pending, session.State);
        Assert.Equal(ConsentEvents.Requested, session.LastEvent);
        Assert.Matches("^[0-9a-f]{32}$", session.Nonce);
        Assert.Matches("^[0-9a-f]{24}$", session.SessionId);
        Assert.Equal("JN1-TEST-0001", session.VehicleId);
        Assert.Equal(Now + 120_000, session.DeadlineMs);
        Assert.Equal("balanced", session.Conditions.Name);
        Assert.Equal(PresetStore.Balanced, session.PresetIndex);
        Assert.Equal(Settlement.Offset, session.Settlement);
        Assert.False(session.IsGranted);
    }

    [Fact]
    public void Nonces_and_session_ids_are_distinct_across_ten_thousand_plug_ins()
    {
        var nonces = new HashSet<string>();
        var ids = new HashSet<string>();
        var ones = new int[128];
        for (int i = 0; i < 10_000; i++)
        {
            _session.Open(Now, "");
            Assert.True(nonces.Add(_session.Nonce));
            Assert.True(ids.Add(_session.SessionId));
            Assert.Equal(32, _session.Nonce.Length);
            byte[] bits = Convert.FromHexString(_session.Nonce);
            for (int b = 0; b < 128; b++)
            {
                ones[b] += (bits[b / 8] >> (b % 8)) & 1;
            }

            _session.Close();
            _clock.Advance(1);
        }

        // Every one of the 128 bits is a coin toss: no counter, clock or constant inside the nonce.
        Assert.All(ones, count => Assert.InRange(count, 4_700, 5_300));
    }

    [Fact]
    public void The_nonce_comes_from_the_entropy_source_not_from_the_clock()
    {
        var first = new ConsentSession(new SeededEntropy(7), _presets, _options);
        var second = new ConsentSession(new SeededEntropy(8), _presets, _options);
        first.Open(1000, "");
        second.Open(1000, "");
        Assert.NotEqual(first.Nonce, second.Nonce);
        Assert.Equal(first.SessionId[..8], second.SessionId[..8]); // same plug-in counter
        Assert.NotEqual(first.SessionId, second.SessionId);       // different random part
    }

    [Fact]
    public void A_panel_allow_grants_with_the_conditions_on_offer()
    {
        Opened();
        Assert.Equal(ConsentResults.Accepted, _session.SelectNextPreset(Now));
        Assert.Equal(ConsentResults.Accepted, _session.AnswerFromPanel(Now, true));
        Assert.Equal(ConsentStates.Granted, _session.State);
        Assert.Equal(ConsentSources.Panel, _session.DecidedBy);
        Assert.Equal(ConsentEvents.Granted, _session.LastEvent);
        Assert.Equal("leave-to-aggregator", _session.Conditions.Name);
        Assert.True(_session.IsGranted);
    }

    [Fact]
    public void The_first_valid_answer_wins()
    {
        Opened();
        Assert.Equal(ConsentResults.Accepted, Remote(false));
        Assert.Equal(ConsentResults.AlreadyDecided, _session.AnswerFromPanel(Now, true));
        Assert.Equal(ConsentResults.AlreadyDecided, Remote(true));
        Assert.Equal(ConsentStates.Denied, _session.State);
        Assert.Equal(ConsentSources.Remote, _session.DecidedBy);

        Opened();
        Assert.Equal(ConsentResults.Accepted, _session.AnswerFromPanel(Now, true));
        Assert.Equal(ConsentResults.AlreadyDecided, Remote(false));
        Assert.Equal(ConsentResults.AlreadyDecided, _session.AnswerFromPanel(Now, false));
        Assert.Equal(ConsentStates.Granted, _session.State);
    }

    [Fact]
    public void A_remote_answer_needs_the_exact_session_and_nonce()
    {
        Opened();
        string nonce = _session.Nonce;
        string id = _session.SessionId;
        Assert.Equal(ConsentResults.WrongNonce, _session.AnswerRemote(Now, id, nonce[..31], true, "", Settlement.Unspecified));
        Assert.Equal(ConsentResults.WrongNonce, _session.AnswerRemote(Now, id, nonce + "0", true, "", Settlement.Unspecified));
        Assert.Equal(ConsentResults.WrongNonce, _session.AnswerRemote(Now, id, nonce.ToUpperInvariant(), true, "", Settlement.Unspecified));
        Assert.Equal(ConsentResults.WrongNonce, _session.AnswerRemote(Now, id, null!, true, "", Settlement.Unspecified));
        Assert.Equal(ConsentResults.WrongNonce, _session.AnswerRemote(Now, id, "", true, "", Settlement.Unspecified));
        Assert.Equal(ConsentResults.WrongNonce, _session.AnswerRemote(Now, id, (nonce[0] == 'a' ? "b" : "a") + nonce[1..], true, "", Settlement.Unspecified));
        Assert.Equal(ConsentResults.WrongSession, _session.AnswerRemote(Now, id[..23] + (id[23] == '0' ? "1" : "0"), nonce, true, "", Settlement.Unspecified));
        Assert.Equal(ConsentResults.WrongSession, _session.AnswerRemote(Now, "", nonce, true, "", Settlement.Unspecified));
        Assert.Equal(ConsentStates.Pending, _session.State);

        Assert.Equal(ConsentResults.Accepted, _session.AnswerRemote(Now, id, nonce, true, "", Settlement.Unspecified));
        Assert.Equal(ConsentStates.Granted, _session.State);
        Assert.Equal(ConsentSources.Remote, _session.DecidedBy);
    }

    [Fact]
    public void Remote_answers_can_be_disabled_while_the_panel_still_works()
    {
        _options.RemoteAnswersEnabled = false;
        Opened();
        Assert.Equal(ConsentResults.RemoteDisabled, Remote(true));
        Assert.Equal(ConsentResults.RemoteDisabled, _session.StopSharingRemote(Now, _session.SessionId, _session.Nonce));
        Assert.Equal(ConsentStates.Pending, _session.State);
        Assert.Equal(ConsentResults.Accepted, _session.AnswerFromPanel(Now, true));
    }

    [Fact]
    public void No_answer_in_time_counts_as_a_refusal()
    {
        Opened();
        _clock.Advance(119_999);
        _session.Tick(Now);
        Assert.Equal(ConsentStates.Pending, _session.State);
        Assert.Equal(1, _session.RemainingSeconds(Now));

        _clock.Advance(1);
        _session.Tick(Now);
        Assert.Equal(ConsentStates.Denied, _session.State);
        Assert.Equal(ConsentSources.Timeout, _session.DecidedBy);
        Assert.Equal(ConsentEvents.TimedOut, _session.LastEvent);
        Assert.Equal(0, _session.RemainingSeconds(Now));
        Assert.Equal(ConsentResults.Expired, Remote(true));
        Assert.Equal(ConsentResults.Expired, _session.AnswerFromPanel(Now, true));
        Assert.Equal(ConsentStates.Denied, _session.State);
    }

    [Fact]
    public void A_late_answer_is_expired_even_before_the_tick_notices()
    {
        _options.TimeoutMs = 30_000;
        Opened();
        _clock.Advance(30_000);
        Assert.Equal(ConsentResults.Expired, Remote(true));
        Assert.Equal(ConsentStates.Denied, _session.State);
        Assert.Equal(ConsentSources.Timeout, _session.DecidedBy);
    }

    [Fact]
    public void The_countdown_rounds_up_to_whole_seconds()
    {
        Opened();
        Assert.Equal(120, _session.RemainingSeconds(Now));
        _clock.Advance(1);
        Assert.Equal(120, _session.RemainingSeconds(Now));
        _clock.Advance(999);
        Assert.Equal(119, _session.RemainingSeconds(Now));
    }

    [Fact]
    public void Stopping_sharing_revokes_a_granted_consent_for_good()
    {
        Opened();
        _session.AnswerFromPanel(Now, true);
        int changes = _session.ChangeCount;
        Assert.Equal(ConsentResults.Accepted, _session.StopSharing(Now));
        Assert.Equal(ConsentStates.Revoked, _session.State);
        Assert.Equal("denied", ConsentState.Names.Name(ConsentStates.ToWire(_session.State)));
        Assert.Equal(ConsentEvents.Revoked, _session.LastEvent);
        Assert.Equal(changes + 1, _session.ChangeCount);
        Assert.Equal(ConsentResults.NotSharing, _session.StopSharing(Now));
        Assert.Equal(ConsentResults.AlreadyDecided, Remote(true));
        Assert.Equal(ConsentResults.AlreadyDecided, _session.AnswerFromPanel(Now, true));
        Assert.Equal(ConsentStates.Revoked, _session.State);
    }

    [Fact]
    public void Stopping_sharing_works_from_the_phone_with_the_nonce_only()
    {
        Opened();
        Remote(true);
        Assert.Equal(ConsentResults.WrongNonce, _session.StopSharingRemote(Now, _session.SessionId, "0"));
        Assert.Equal(ConsentStates.Granted, _session.State);
        Assert.Equal(ConsentResults.Accepted, _session.StopSharingRemote(Now, _session.SessionId, _session.Nonce));
        Assert.Equal(ConsentStates.Revoked, _session.State);
    }

    [Fact]
    public void Stopping_while_still_asked_is_a_refusal()
    {
        Opened();
        Assert.Equal(ConsentResults.Accepted, _session.StopSharing(Now));
        Assert.Equal(ConsentStates.Denied, _session.State);
        Assert.Equal(ConsentResults.NotSharing, _session.StopSharing(Now));
        _session.Close();
        Assert.Equal(ConsentResults.NoSession, _session.StopSharing(Now));
    }

    [Fact]
    public void Consent_does_not_survive_the_plug_in()
    {
        Opened();
        Remote(true);
        string oldId = _session.SessionId;
        string oldNonce = _session.Nonce;
        _session.Close();
        Assert.Equal(ConsentStates.None, _session.State);
        Assert.Equal(ConsentEvents.Closed, _session.LastEvent);
        Assert.Equal("", _session.Nonce);
        Assert.Equal("", _session.SessionId);
        Assert.Equal(ConsentResults.NoSession, _session.AnswerRemote(Now, oldId, oldNonce, true, "", Settlement.Unspecified));
        Assert.Equal(ConsentResults.NoSession, _session.AnswerFromPanel(Now, true));

        Opened("");
        Assert.Equal(ConsentStates.Pending, _session.State);
        Assert.Equal("", _session.VehicleId);
        Assert.NotEqual(oldNonce, _session.Nonce);
        Assert.Equal(ConsentResults.WrongSession, _session.AnswerRemote(Now, oldId, oldNonce, true, "", Settlement.Unspecified));
        Assert.Equal(ConsentResults.WrongNonce, _session.AnswerRemote(Now, _session.SessionId, oldNonce, true, "", Settlement.Unspecified));
        Assert.Equal(ConsentStates.Pending, _session.State);
    }

    [Fact]
    public void Opening_again_without_closing_ends_the_previous_consent()
    {
        Opened();
        _session.AnswerFromPanel(Now, true);
        Opened();
        Assert.Equal(ConsentStates.Pending, _session.State);
    }

    [Fact]
    public void A_remote_allow_may_name_a_preset_and_a_settlement()
    {
        Opened();
        Assert.Equal(ConsentResults.UnknownPreset, Remote(true, "no-such-preset"));
        Assert.Equal(ConsentResults.InvalidConditions, Remote(true, "cautious", 7));
        Assert.Equal(ConsentStates.Pending, _session.State);
        Assert.Equal(ConsentResults.Accepted, Remote(true, "cautious", Settlement.Points));
        Assert.Equal("cautious", _session.Conditions.Name);
        Assert.Equal(PresetStore.Cautious, _session.PresetIndex);
        Assert.Equal(Settlement.Points, _session.Settlement);
        Assert.Equal(Settlement.Offset, _presets.Get(PresetStore.Cautious).Settlement); // the preset itself is untouched
    }

    [Fact]
    public void A_remote_deny_needs_no_valid_conditions()
    {
        Opened();
        Assert.Equal(ConsentResults.Accepted, Remote(false, "no-such-preset", 99));
        Assert.Equal(ConsentStates.Denied, _session.State);
    }

    [Fact]
    public void A_remote_allow_may_carry_explicit_conditions_which_are_validated()
    {
        Opened();
        var mine = new ChargingConditions("mine", 1001, 30_000, 9_000, false, Settlement.Payout);
        Assert.Equal(ConsentResults.InvalidConditions,
            _session.AnswerRemoteWithConditions(Now, _session.SessionId, _session.Nonce, true, mine, Settlement.Unspecified));
        Assert.Equal(ConsentStates.Pending, _session.State);

        mine.KeptSocPermille = 700;
        mine.Windows.Add(DayMasks.Weekend, 0, 1440);
        Assert.Equal(ConsentResults.Accepted,
            _session.AnswerRemoteWithConditions(Now, _session.SessionId, _session.Nonce, true, mine, Settlement.Unspecified));
        mine.KeptSocPermille = 100;
        Assert.Equal(700, _session.Conditions.KeptSocPermille);
        Assert.Equal(1, _session.Conditions.Windows.Count);
        Assert.Equal(Settlement.Payout, _session.Settlement);
        Assert.Equal(-1, _session.PresetIndex);
    }

    [Fact]
    public void Conditions_change_only_while_the_driver_is_asked()
    {
        Opened();
        Assert.Equal(ConsentResults.Accepted, _session.SelectPreset(Now, PresetStore.Cautious));
        Assert.Equal(ConsentResults.UnknownPreset, _session.SelectPreset(Now, 3));
        Assert.Equal("cautious", _session.Conditions.Name);
        _session.AnswerFromPanel(Now, true);
        Assert.Equal(ConsentResults.NotAvailable, _session.SelectNextPreset(Now));
        Assert.Equal("cautious", _session.Conditions.Name);
    }

    [Fact]
    public void Editing_a_preset_does_not_change_a_running_session()
    {
        var custom = new ChargingConditions("mine", 600, 20_000, 10_000, false, Settlement.Offset);
        int index = _presets.AddOrReplace(custom);
        Opened();
        _session.SelectPreset(Now, index);
        _session.AnswerFromPanel(Now, true);
        custom.KeptSocPermille = 100;
        _presets.AddOrReplace(custom);
        Assert.Equal(600, _session.Conditions.KeptSocPermille);
    }

    [Fact]
    public void Every_change_is_counted_and_named()
    {
        int start = _session.ChangeCount;
        Opened();
        _session.AnswerFromPanel(Now, true);
        _session.StopSharing(Now);
        _session.Close();
        _session.Close();
        Assert.Equal(start + 4, _session.ChangeCount);

        Assert.Equal(["none", "pending", "granted", "denied", "denied"], Enumerable.Range(0, 5).Select(state => ConsentState.Names.Name(ConsentStates.ToWire(state))));
        Assert.Equal(["none", "pending", "granted", "denied", "revoked"], Enumerable.Range(0, 5).Select(ConsentStates.Name));
        Assert.Equal(["none", "panel", "remote", "timeout"], Enumerable.Range(0, 4).Select(ConsentSources.Name));
        Assert.Equal(["none", "consent-requested", "consent-granted", "consent-denied", "consent-timeout", "consent-revoked", "consent-closed"],
            Enumerable.Range(0, 7).Select(ConsentEvents.Name));
        Assert.Equal(["accepted", "no-session", "wrong-session", "wrong-nonce", "already-decided", "remote-disabled", "expired",
            "invalid-conditions", "unknown-preset", "not-sharing", "not-available"], Enumerable.Range(0, 11).Select(ConsentResults.Name));
    }

    [Fact]
    public void At_the_panel_the_driver_may_share_after_a_refusal_a_timeout_or_a_stop_without_re_plugging()
    {
        Opened();
        _session.AnswerFromPanel(Now, false);
        string session = _session.SessionId;
        Assert.Equal(ConsentResults.AlreadyDecided, _session.AnswerFromPanel(Now, true));
        Assert.Equal(ConsentResults.Accepted, _session.Reconsider(Now, null));
        Assert.Equal((ConsentStates.Granted, ConsentEvents.Granted, ConsentSources.Panel), (_session.State, _session.LastEvent, _session.DecidedBy));
        Assert.Equal(session, _session.SessionId);

        _session.StopSharing(Now);
        Assert.Equal(ConsentStates.Revoked, _session.State);
        Assert.Equal(ConsentResults.Accepted, _session.Reconsider(Now, null));
        Assert.True(_session.IsGranted);

        _session.Open(Now, "");
        _clock.Advance(_options.TimeoutMs);
        _session.Tick(Now);
        Assert.Equal(ConsentEvents.TimedOut, _session.LastEvent);
        Assert.Equal(ConsentResults.Accepted, _session.Reconsider(Now, null));
        Assert.True(_session.IsGranted);

        // The phone gets no second chance: the nonce's answer was the timeout.
        Assert.Equal(ConsentResults.AlreadyDecided, Remote(true));
        _session.Close();
        Assert.Equal(ConsentResults.NoSession, _session.Reconsider(Now, null));
    }

    [Fact]
    public void Conditions_edited_on_the_panel_are_validated_and_replace_those_in_force_while_sharing()
    {
        Opened();
        var edited = new ChargingConditions("custom", 650, 27_000, 14_000, false, Settlement.Payout);
        edited.Windows.Add(DayMasks.Weekdays, 22 * 60, 6 * 60);
        int version = _session.ConditionsVersion;
        Assert.Equal(ConsentResults.Accepted, _session.AnswerFromPanel(Now, true, edited));
        Assert.Equal((650, Settlement.Payout, 1, -1), (_session.Conditions.KeptSocPermille, _session.Settlement, _session.Conditions.Windows.Count, _session.PresetIndex));
        Assert.True(_session.ConditionsVersion > version);

        var bad = new ChargingConditions("custom", 1_500, 0, 0, false, Settlement.Offset);
        int changes = _session.ChangeCount;
        Assert.Equal(ConsentResults.InvalidConditions, _session.Reconsider(Now, bad));
        Assert.Equal(650, _session.Conditions.KeptSocPermille);

        edited.KeptSocPermille = 300;
        Assert.Equal(ConsentResults.Accepted, _session.Reconsider(Now, edited));
        Assert.Equal(300, _session.Conditions.KeptSocPermille);
        Assert.Equal(changes, _session.ChangeCount); // still granted: no new consent event
        edited.KeptSocPermille = 900;
        Assert.Equal(300, _session.Conditions.KeptSocPermille); // a copy, not the panel's object
    }

    [Fact]
    public void A_cars_remembered_conditions_are_offered_first_until_the_driver_picks_others()
    {
        var remembered = new ChargingConditions("my-pattern", 700, 31_000, 9_000, true, Settlement.Points);
        _session.Open(Now, "EVCC01", remembered);
        Assert.Equal(("my-pattern", 700, Settlement.Points), (_session.Conditions.Name, _session.Conditions.KeptSocPermille, _session.Settlement));

        // A car that names itself only after plug-in: offered late, but never over the driver's pick.
        _session.Open(Now, "");
        Assert.True(_session.OfferRemembered(remembered));
        Assert.Equal("my-pattern", _session.Conditions.Name);
        _session.Open(Now, "");
        _session.SelectNextPreset(Now);
        Assert.False(_session.OfferRemembered(remembered));
        _session.AnswerFromPanel(Now, true);
        Assert.False(_session.OfferRemembered(remembered));
    }
}
