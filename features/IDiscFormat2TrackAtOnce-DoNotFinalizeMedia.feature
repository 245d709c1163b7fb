@method:IDiscFormat2TrackAtOnce.DoNotFinalizeMedia
Feature: IDiscFormat2TrackAtOnce::put_DoNotFinalizeMedia
  Whether the media is left open for writing after the tracks (a multi-session disc: audio in the
  first session, more later) instead of finalized. The default is false. It can be set before
  PrepareMedia or after ReleaseMedia, not during a track-writing session.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2TrackAtOnce on that recorder with client name "openimapi conformance"

  Scenario: S_OK — the default is false: released media is finalized
    Then doNotFinalizeMedia is false
    Given the media is prepared and holds 1 audio tracks of 4 seconds
    When I release the media
    Then the disc is finalized

  Scenario: S_OK — true leaves the disc open; a second session adds a track and finalizes it
    When I set doNotFinalizeMedia to true
    Then it succeeds
    Given the media is prepared and holds 1 audio tracks of 4 seconds
    And I release the media
    Then the disc is appendable
    When I set doNotFinalizeMedia to false
    And I prepare the media
    Then numberOfExistingTracks is 1
    When I add an audio track of 4 seconds
    And I release the media
    Then the disc is finalized
    And the disc holds 2 tracks

  Scenario: E_IMAPI_DF2TAO_MEDIA_IS_PREPARED (0xC0AA0503) — read-only while the media is prepared
    Given the media is prepared
    When I set doNotFinalizeMedia to true
    Then it fails with E_IMAPI_DF2TAO_MEDIA_IS_PREPARED (0xC0AA0503)
    And doNotFinalizeMedia is false
    When I release the media
    And I set doNotFinalizeMedia to true
    Then it succeeds

  Scenario: E_IMAPI_DF2TAO_WRITE_IN_PROGRESS (0xC0AA0500) — set from the Update handler while a track is written
    Given the media is prepared
    When I add an audio track of 10 seconds and set doNotFinalizeMedia to true from the Update handler
    Then doNotFinalizeMedia failed with E_IMAPI_DF2TAO_WRITE_IN_PROGRESS (0xC0AA0500)
    And it succeeds
    And doNotFinalizeMedia is false

  Scenario: E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY (0xC0AA0504) — the prepared media has been written to
    # "The property cannot be changed once the media has been written to": a track was added in this
    # preparation; the disc is finalized at release as the property said when it was prepared.
    Given the media is prepared and holds 1 audio tracks of 4 seconds
    When I set doNotFinalizeMedia to true
    Then it fails with E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY (0xC0AA0504)
    And doNotFinalizeMedia is false
    When I release the media
    Then the disc is finalized

  Scenario: E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY (0xC0AA0504) — the prepared disc holds the tracks of an earlier session
    When I set doNotFinalizeMedia to true
    And the media is prepared and holds 1 audio tracks of 4 seconds
    And I release the media
    And I prepare the media
    And I set doNotFinalizeMedia to false
    Then it fails with E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY (0xC0AA0504)
    And doNotFinalizeMedia is true
