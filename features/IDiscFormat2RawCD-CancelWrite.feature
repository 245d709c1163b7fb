@method:IDiscFormat2RawCD.CancelWrite
Feature: IDiscFormat2RawCD::CancelWrite
  Cancels the current write operation. It is called from the Update event handler; ReleaseMedia must
  follow. The media is left in an indeterminate state: rewritable media should be erased.

  Background:
    Given a drive with a blank CD-RW
    And a DiscFormat2RawCD on that recorder with client name "openimapi conformance"

  Scenario: S_OK — cancel from the Update handler ends the write with E_IMAPI_REQUEST_CANCELLED
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 20 seconds
    When I call writeMedia with the image and call cancelWrite from the Update handler
    Then cancelWrite succeeded
    And it fails with E_IMAPI_REQUEST_CANCELLED (0xC0AA0002)

  Scenario: E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS (0xC0AA0601) — nothing is being written
    Given the media is prepared
    When I call cancelWrite
    Then it fails with E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS (0xC0AA0601)

  Scenario: E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS (0xC0AA0601) — the media was never prepared
    When I call cancelWrite
    Then it fails with E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS (0xC0AA0601)

  Scenario: E_FAIL (0x80004005) — too late to cancel: the drive is already finishing the session
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 4 seconds
    When I call writeMedia with the image and call cancelWrite from the Update handler once it is finishing
    Then cancelWrite failed with E_FAIL (0x80004005)
    And it succeeds

  Scenario: after a cancel, ReleaseMedia must be called; the tray stays locked until it is
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 20 seconds
    When I call writeMedia with the image and call cancelWrite from the Update handler
    Then it fails with E_IMAPI_REQUEST_CANCELLED (0xC0AA0002)
    And the tray is locked
    And another client acquiring exclusive access fails with E_IMAPI_RECORDER_LOCKED (0xC0AA0210)
    When I release the media
    Then the tray is unlocked
    And another client can acquire exclusive access

  Scenario: the media is indeterminate after a cancel; erasing the CD-RW makes it usable again
    Given the media is prepared
    And a raw DAO-96 image with 1 audio track of 20 seconds
    When I call writeMedia with the image and call cancelWrite from the Update handler
    And I release the media
    Then the media is not blank
    When I erase the media
    Then the media is blank
    And a raw DAO-96 image with 1 audio track of 4 seconds burns and reads back
