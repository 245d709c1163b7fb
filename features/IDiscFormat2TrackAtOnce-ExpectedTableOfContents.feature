@method:IDiscFormat2TrackAtOnce.ExpectedTableOfContents
Feature: IDiscFormat2TrackAtOnce::get_ExpectedTableOfContents
  The table of contents of the audio tracks laid on the media in this track-writing session: a READ
  TOC (format 0000b) reply, as MMC describes it. Not available outside a session (before PrepareMedia
  or after ReleaseMedia), nor on a blank disc.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2TrackAtOnce on that recorder with client name "openimapi conformance"

  Scenario: S_OK — two tracks and the lead-out; the disc's TOC after release is the same
    Given the media is prepared and holds 2 audio tracks of 4 seconds
    When I call getExpectedTableOfContents
    Then the expected table of contents lists 2 tracks and the lead-out
    And the expected table of contents equals the disc's TOC after release

  Scenario: E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC (0xC0AA0505) — prepared blank media
    Given the media is prepared
    When I call getExpectedTableOfContents
    Then it fails with E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC (0xC0AA0505)

  Scenario: E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED (0xC0AA0502) — before prepareMedia
    When I call getExpectedTableOfContents
    Then it fails with E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED (0xC0AA0502)

  Scenario: E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED (0xC0AA0502) — after releaseMedia
    Given the media is prepared and holds 1 audio tracks of 4 seconds
    And I release the media
    When I call getExpectedTableOfContents
    Then it fails with E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED (0xC0AA0502)

  Scenario: E_IMAPI_DF2TAO_WRITE_IN_PROGRESS (0xC0AA0500) — read from the Update handler while a track is written
    Given the media is prepared and holds 1 audio tracks of 4 seconds
    When I add an audio track of 10 seconds and call getExpectedTableOfContents from the Update handler
    Then getExpectedTableOfContents failed with E_IMAPI_DF2TAO_WRITE_IN_PROGRESS (0xC0AA0500)
    And it succeeds

  @not-reachable
  Scenario Outline: <hresult> (<value>) — cannot happen in this API: <why>
    Then the row <hresult> (<value>) is documented as not reachable from the TypeScript API

    Examples:
      | hresult       | value      | why                                                                          |
      | E_POINTER     | 0x80004003 | the TOC is the promise's value; there is no out pointer                      |
      | E_OUTOFMEMORY | 0x8007000E | an allocation failure in Node ends the process instead of returning an error |
