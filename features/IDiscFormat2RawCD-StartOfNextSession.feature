@method:IDiscFormat2RawCD.StartOfNextSession
Feature: IDiscFormat2RawCD::get_StartOfNextSession
  The first sector of the next session: on blank media, the lead-in start the ATIP gives, a negative
  LBA (here 97:26:66, LBA −11 634). writeMedia starts writing there. Valid only while the media is
  prepared.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2RawCD on that recorder with client name "openimapi conformance"

  Scenario: S_OK — the ATIP lead-in start of blank CD-R media, negative
    Given the media is prepared
    When I read startOfNextSession
    Then it succeeds with -11634

  Scenario: S_OK — the same on blank CD-RW media
    Given a drive with a blank CD-RW
    And a DiscFormat2RawCD on that recorder with client name "openimapi conformance"
    And the media is prepared
    When I read startOfNextSession
    Then it succeeds with -11634

  Scenario: E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602) — before prepareMedia
    When I read startOfNextSession
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602)

  Scenario: E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602) — after releaseMedia
    Given the media is prepared
    And I release the media
    When I read startOfNextSession
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602)

  @not-reachable
  Scenario: E_POINTER (0x80004003) — cannot happen in this API: the value is returned, there is no out pointer
    Then the row E_POINTER (0x80004003) is documented as not reachable from the TypeScript API
