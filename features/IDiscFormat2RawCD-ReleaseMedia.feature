@method:IDiscFormat2RawCD.ReleaseMedia
Feature: IDiscFormat2RawCD::ReleaseMedia
  Closes a Disc-At-Once (DAO) writing session of a raw image and releases the lock set by
  PrepareMedia. It must be called after the write completes or after CancelWrite.

  Background:
    Given a drive with a blank CD-R
    And a DiscFormat2RawCD on that recorder with client name "openimapi conformance"

  Scenario: S_OK — after a write, release unlocks the tray and frees the device for other clients
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    And I call writeMedia with the image
    When I release the media
    Then it succeeds
    And the tray is unlocked
    And another client can acquire exclusive access

  Scenario: S_OK — after CancelWrite, ReleaseMedia frees the device; a second release is refused
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 20 seconds
    When I call writeMedia with the image and call cancelWrite from the Update handler
    Then it fails with E_IMAPI_REQUEST_CANCELLED (0xC0AA0002)
    When I release the media
    Then it succeeds
    And another client can acquire exclusive access
    When I release the media
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602)

  Scenario: PrepareMedia locks the tray and the device; ReleaseMedia undoes both
    When I prepare the media
    Then the tray is locked
    And another client acquiring exclusive access fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)
    When I release the media
    Then the tray is unlocked
    And another client can acquire exclusive access

  Scenario: E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602) — release without prepare
    When I release the media
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602)

  Scenario: E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602) — release twice
    Given the media is prepared
    And I release the media
    When I release the media
    Then it fails with E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602)

  Scenario: E_IMAPI_DF2RAW_WRITE_IN_PROGRESS (0xC0AA0600) — release from the Update handler
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    When I call writeMedia with the image and call releaseMedia from the Update handler
    Then releaseMedia failed with E_IMAPI_DF2RAW_WRITE_IN_PROGRESS (0xC0AA0600)
    And it succeeds
