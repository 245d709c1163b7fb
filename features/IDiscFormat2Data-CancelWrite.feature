@method:IDiscFormat2Data.CancelWrite
Feature: IDiscFormat2Data::CancelWrite
  Cancels the write in progress; call it from the Update handler. Write then ends with
  E_IMAPI_REQUEST_CANCELLED and gives back exclusive access and the tray itself. The media is left in
  an indeterminate state: rewritable media should be erased before it is used again.

  Background:
    Given a drive with a blank CD-RW
    And a DiscFormat2Data on that recorder with client name "openimapi conformance"

  Scenario: S_OK — cancel from the Update handler ends the write with E_IMAPI_REQUEST_CANCELLED
    When I write a data image of 2000 sectors and call cancelWrite from the Update handler
    Then cancelWrite succeeded
    And it fails with E_IMAPI_REQUEST_CANCELLED (0xC0AA0002)
    And the tray is unlocked
    And another client can acquire exclusive access

  Scenario: the media is indeterminate after a cancel; erasing the CD-RW makes it usable again
    When I write a data image of 2000 sectors and call cancelWrite from the Update handler
    Then the media is not blank
    When I erase the media
    Then the media is blank
    When I call write with a data image of 500 sectors
    Then it succeeds
    And the data image reads back from LBA 0

  Scenario: E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS (0xC0AA0401) — nothing is being written
    When I call cancelWrite
    Then it fails with E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS (0xC0AA0401)

  Scenario: E_FAIL (0x80004005) — too late to cancel: the drive is already closing the session
    When I write a data image of 500 sectors and call cancelWrite from the Update handler once it is finishing
    Then cancelWrite failed with E_FAIL (0x80004005)
    And it succeeds
    And the data image reads back from LBA 0
