@method:IDiscFormat2TrackAtOnce.CancelAddTrack
Feature: IDiscFormat2TrackAtOnce::CancelAddTrack
  Cancels the track being written; call it from the Update handler. AddAudioTrack then ends with
  E_IMAPI_REQUEST_CANCELLED, and ReleaseMedia must follow. The part of the track already recorded is
  kept and the track closed, so the media stays usable: the cancelled track is simply shorter than
  its stream, and the number of tracks says what the disc holds.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2TrackAtOnce on that recorder with client name "openimapi conformance"

  Scenario: S_OK — cancel from the Update handler ends addAudioTrack with E_IMAPI_REQUEST_CANCELLED
    Given the media is prepared
    When I add an audio track of 20 seconds and call cancelAddTrack from the Update handler
    Then cancelAddTrack succeeded
    And it fails with E_IMAPI_REQUEST_CANCELLED (0xC0AA0002)

  Scenario: the cancelled track is kept, shorter; the media stays usable for the next track
    Given the media is prepared
    When I add an audio track of 4 seconds
    And I add an audio track of 20 seconds and call cancelAddTrack from the Update handler
    Then it fails with E_IMAPI_REQUEST_CANCELLED (0xC0AA0002)
    And numberOfExistingTracks is 2
    When I add an audio track of 4 seconds
    And I release the media
    Then the disc holds 3 tracks
    And track 2 is shorter than its 20-second stream

  Scenario: ReleaseMedia must follow a cancel: the lock is held until it does
    Given the media is prepared
    When I add an audio track of 20 seconds and call cancelAddTrack from the Update handler
    Then the tray is locked
    And another client acquiring exclusive access fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)
    When I release the media
    Then another client can acquire exclusive access

  Scenario: E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS (0xC0AA0501) — nothing is being written
    Given the media is prepared
    When I call cancelAddTrack
    Then it fails with E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS (0xC0AA0501)

  Scenario: E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS (0xC0AA0501) — the media was never prepared
    When I call cancelAddTrack
    Then it fails with E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS (0xC0AA0501)

  Scenario: E_FAIL (0x80004005) — too late to cancel: the track is being closed
    Given the media is prepared
    When I add an audio track of 4 seconds and call cancelAddTrack from the Update handler once it is finishing
    Then cancelAddTrack failed with E_FAIL (0x80004005)
    And it succeeds
